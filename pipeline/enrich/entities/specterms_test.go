package entities

import "testing"

// TestSpecTermsAreNoBodies covers dropSpecTerms (issue 15, round 12): a
// text naming many unknown acronyms by their capitals alone is a spec
// sheet or review, and its acronyms and camel-case names are terms and
// products, not bodies; one or two in a news story stay bodies, and a
// possessive or a list of bodies vouches for a body in any text.
func TestSpecTermsAreNoBodies(t *testing.T) {
	spec := "The Veltra X2 pairs a QRZ sensor with a PLVX panel. TMKD charging and the VoxLink chip are new. ZKLM's engineers built the HVDQ modem."
	got := newX(t).Extract("Veltra X2 review", spec, "en")
	checkKeys(t, got, []string{"organization:zklm"},
		[]string{"organization:qrz", "organization:plvx", "organization:tmkd", "organization:voxlink", "organization:hvdq"})

	got = newX(t).Extract("Veltra X2 review", spec+" It ships through AT&T, Sprint, T-Mobile, QuarnePCS and others.", "en")
	checkKeys(t, got, []string{"organization:quarnepcs"}, []string{"organization:qrz"})

	news := "The PQTA said fares would rise. Officials at VRNX agreed, and VoxLink declined to comment."
	got = newX(t).Extract("Fares", news, "en")
	checkKeys(t, got, []string{"organization:pqta", "organization:vrnx", "organization:voxlink"}, nil)
}

// Acronyms alone do not make a spec sheet: politics names its parties by
// their capitals (review, round 12).
func TestPartiesByTheirCapitalsStayBodies(t *testing.T) {
	got := newX(t).Extract("Coalition talks", "The QRNO leader said the PKVZ and the DLTX would join the talks.", "en")
	checkKeys(t, got, []string{"organization:qrno", "organization:pkvz", "organization:dltx"}, nil)
}
