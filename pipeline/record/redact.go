package record

import (
	"net/url"
	"strings"
)

// RedactURL is a URL as messages and logs may show it, its secrets as "xxxxx": a password in
// its userinfo (user:xxxxx@, as url.URL.Redacted and so the client's own url.Error say it),
// a user name given alone (xxxxx@: GitHub, GitLab and many APIs take a token so,
// https://TOKEN@host/feed), and the values of the query parameters secretParams names
// (?token=xxxxx). It is also the name a feed's records give it (feed.url, feed_status's
// feed_url and key: sources/feed names a feed so); only the feed list and the fetchers' poll
// state keep the URL as written, which the feed is fetched from. A URL with no secret, or one
// that does not parse, is returned as it is.
func RedactURL(u string) string {
	_, rawQuery, _ := strings.Cut(u, "?")
	rawQuery, _, _ = strings.Cut(rawQuery, "#")
	if !strings.Contains(u, "@") && !hasSecretParam(rawQuery) { // most feed URLs: no parse
		return u
	}
	p, err := url.Parse(u)
	if err != nil {
		return redactUnparsed(u)
	}
	userinfo := p.User != nil
	if userinfo {
		p.User = redactedUserinfo(p.User)
	}
	query, secretQuery := redactQuery(p.RawQuery)
	if !userinfo && !secretQuery {
		return u
	}
	p.RawQuery = query
	return p.String()
}

// redactUnparsed is RedactURL of a string url.Parse refuses (a typo in a feed list, which
// config's refusal then names): what the string alone shows of its secrets, all of its
// authority before the last "@" and the values of secretParams.
func redactUnparsed(u string) string {
	rest, fragment, hasFragment := strings.Cut(u, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	if scheme, hierarchy, ok := strings.Cut(rest, "//"); ok {
		authority, path, hasPath := strings.Cut(hierarchy, "/")
		if at := strings.LastIndex(authority, "@"); at >= 0 && authority[:at] != "xxxxx" {
			rest = scheme + "//xxxxx" + authority[at:]
			if hasPath {
				rest += "/" + path
			}
		}
	}
	if hasQuery {
		query, _ = redactQuery(query)
		rest += "?" + query
	}
	if hasFragment {
		rest += "#" + fragment
	}
	return rest
}

// RedactUserinfo is RedactURL of the userinfo alone, the query left as written: the
// feed_state key's redacted part (sources/feed/feedtopics.StateKey), whose spelling must not
// change for the states already keyed by it.
func RedactUserinfo(u string) string {
	if !strings.Contains(u, "@") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	p.User = redactedUserinfo(p.User)
	return p.String()
}

// redactedUserinfo is user:xxxxx when there is a password (the user name is then a name, and
// the spelling round 32's feed_state keys hold), xxxxx when the user name is all there is
// (then it is the secret).
func redactedUserinfo(u *url.Userinfo) *url.Userinfo {
	if _, ok := u.Password(); ok {
		return url.UserPassword(u.Username(), "xxxxx")
	}
	return url.User("xxxxx")
}

// secretParams are the query parameters, matched in any case, whose value is a credential in
// the feeds and APIs seen in the wild (API keys, OAuth tokens, signed URLs' signatures).
var secretParams = []string{
	"token", "access_token", "auth_token", "api_token", "private_token", "feed_token", "rss_token",
	"key", "api_key", "apikey", "api-key", "client_secret",
	"secret", "password", "passwd", "pass", "auth",
	"sig", "signature", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
	"session", "sessionid",
}

// isSecretParam reports whether a query parameter's name (as written, %-escapes and all) is
// one of secretParams.
func isSecretParam(name string) bool {
	if strings.Contains(name, "%") {
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
	}
	for _, s := range secretParams {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}

// secretValue reports whether a query's name=value part gives one of
// secretParams a value not yet redacted, and its name.
func secretValue(part string) (name string, secret bool) {
	name, value, ok := strings.Cut(part, "=")
	return name, ok && value != "" && value != "xxxxx" && isSecretParam(name)
}

// hasSecretParam reports whether a raw query gives a value to one of secretParams, without
// allocating: RedactURL asks it of every URL with a query.
func hasSecretParam(raw string) bool {
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if _, secret := secretValue(part); secret {
			return true
		}
	}
	return false
}

// redactQuery is a raw query with the values of secretParams as xxxxx, the rest of it (order,
// escaping, parameters without a value) as written, and whether it had such a value.
func redactQuery(raw string) (string, bool) {
	if raw == "" {
		return raw, false
	}
	parts := strings.Split(raw, "&")
	found := false
	for i, part := range parts {
		if name, secret := secretValue(part); secret {
			parts[i], found = name+"=xxxxx", true
		}
	}
	if !found {
		return raw, false
	}
	return strings.Join(parts, "&"), true
}

// RedactURLs is RedactURL of each of urls, for a message that lists them.
func RedactURLs(urls []string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = RedactURL(u)
	}
	return out
}
