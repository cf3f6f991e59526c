package normalize

import "strings"

// trackingParams are query parameters that identify a campaign, a click or
// a reader, never the document. Sources: Firefox's query-stripping list
// (privacy.query_stripping.strip_list), Brave's de-amp/query filter list,
// the ClearURLs "globalRules" provider, and the parameters observed in the
// links of major news feeds (BBC at_*, Guardian CMP, MSN ocid, Le Monde
// xtor, NYT smid/emc, comScore ns_*). Keys are compared lowercased.
//
// Left out on purpose, though often tracking: "ref", "source", "partner",
// "cid", "si", "share" — generic enough that some sites route on them. Add
// them per deployment with normalize.extra_tracking_params.
var trackingParams = map[string]bool{
	// Ad-click identifiers.
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "ysclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"epik": true, "srsltid": true, "s_kwcid": true, "ef_id": true, "irclickid": true, "rb_clickid": true,
	"wickedid": true, "_openstat": true, "mbid": true, "igshid": true, "igsh": true, "_kx": true,
	// Google Analytics and linker.
	"_ga": true, "_gl": true, "ga_source": true, "ga_medium": true, "ga_term": true,
	"ga_content": true, "ga_campaign": true, "ga_place": true,
	// Mailchimp, HubSpot, Marketo, Olytics, Vero, Blueshift, Sailthru and other mailers.
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "__hssc": true, "__hstc": true,
	"__hsfp": true, "hsctatracking": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "vero_conv": true, "ml_subscriber": true, "ml_subscriber_hash": true,
	"ss_email_id": true, "bbeml": true, "__s": true, "sc_cid": true, "s_cid": true,
	// Facebook and Twitter share plumbing.
	"fb_action_ids": true, "fb_action_types": true, "fb_ref": true, "fb_source": true,
	"action_object_map": true, "action_type_map": true, "action_ref_map": true,
	"ref_src": true, "ref_url": true, "__twitter_impression": true,
	// Publishers' own campaign tags.
	"cmpid": true, "cmp": true, "ocid": true, "icid": true, "xtor": true, "ito": true,
	"smid": true, "smtyp": true, "emc": true, "ftag": true, "taid": true, "spm": true,
	"wt.mc_id": true, "wt_mc_id": true, "wtmc": true, "sr_share": true, "rss_source": true,
}

// trackingPrefixes remove whole parameter families.
var trackingPrefixes = []string{
	"utm_",    // Google Analytics campaign tags
	"pk_",     // Matomo/Piwik
	"mtm_",    // Matomo
	"piwik_",  // Piwik
	"matomo_", // Matomo
	"hmb_",    // HubSpot
	"ns_",     // comScore (BBC, older CMSs)
	"at_",     // AT Internet (BBC at_medium, at_campaign, at_custom*)
	"oft_",    // Outfunnel
	"bsft_",   // Blueshift
}

// trackingSet decides which query keys to drop. The zero value uses only
// the built-in lists.
type trackingSet struct {
	names    map[string]bool
	prefixes []string
}

func newTrackingSet(extra []string) trackingSet {
	t := trackingSet{}
	for _, p := range extra {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if name, ok := strings.CutSuffix(p, "*"); ok {
			t.prefixes = append(t.prefixes, name)
			continue
		}
		if t.names == nil {
			t.names = make(map[string]bool)
		}
		t.names[p] = true
	}
	return t
}

// drop reports whether a query key (already percent-decoded) is tracking.
func (t trackingSet) drop(key string) bool {
	k := strings.ToLower(key)
	if trackingParams[k] || t.names[k] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	for _, p := range t.prefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}
