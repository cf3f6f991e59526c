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

// RedactUserinfo is the URL with its userinfo redacted as rounds 32 and 33 said it (user:xxxxx@
// for any password, an empty one too; xxxxx@ for a user name alone) and its query as written:
// the spelling of the feed_state keys they wrote and the salt of their hash
// (sources/feed/feedtopics.StateKey), which must not change for the states keyed by it. It is
// no redaction for messages: a token as the user name with an empty password (TOKEN:@host)
// and a secret query parameter stay in it; RedactURL says neither.
func RedactUserinfo(u string) string {
	if !strings.Contains(u, "@") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil || p.User == nil {
		return u
	}
	if _, ok := p.User.Password(); ok {
		p.User = url.UserPassword(p.User.Username(), "xxxxx")
	} else {
		p.User = url.User("xxxxx")
	}
	return p.String()
}

// redactedUserinfo is user:xxxxx when there is a password (the user name is then a name, and
// the spelling round 32's feed_state keys hold), xxxxx when the user name is all there is or
// its password is empty (then the user name is the secret: https://TOKEN:@host is how
// GitHub's and Stripe's basic auth take a token, and url.URL.Redacted says TOKEN:xxxxx@).
func redactedUserinfo(u *url.Userinfo) *url.Userinfo {
	if pw, ok := u.Password(); ok && pw != "" {
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

// secretPart is the name of a query part (name=value, as written) that gives one of
// secretParams a value not yet redacted, and whether it does: what hasSecretParam looks for
// and redactQuery replaces, so that the two agree.
func secretPart(part string) (string, bool) {
	name, value, ok := strings.Cut(part, "=")
	if !ok || value == "" || value == "xxxxx" {
		return "", false
	}
	return name, isSecretParam(name)
}

// hasSecretParam reports whether a raw query gives a value to one of secretParams, without
// allocating: RedactURL asks it of every URL with a query.
func hasSecretParam(raw string) bool {
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if _, ok := secretPart(part); ok {
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
		if name, ok := secretPart(part); ok {
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
