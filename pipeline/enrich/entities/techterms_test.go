package entities

import "testing"

// TestTechTermsRound14: a standard, a language or a format the brand list
// carries beside companies is no organization, while a company in the same
// list stays and a body named after a standard keeps its own name; a
// subscriber's SIM is no body.
func TestTechTermsRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The handset adds NFC, Bluetooth 5.0 and a larger battery, Lenovo said.", want: []string{"organization:lenovo"}, absent: []string{"organization:nfc", "organization:bluetooth"}},
		{body: "The company's servers run Linux and Debian, a spokesman said.", absent: []string{"organization:linux", "organization:debian"}},
		{body: "Prices of Bitcoin and Ethereum fell on Tuesday.", absent: []string{"organization:bitcoin", "organization:ethereum"}},
		{body: "The phone is sold SIM free, and the SIM tray sits on the left.", absent: []string{"organization:sim"}},
	})
}

// TestWorldCongressRound14: a world congress is a gathering, no body,
// whatever it is about; a congress of a people keeps its name.
func TestWorldCongressRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The maker showed the tablet at Mobile World Congress in Barcelona.", want: []string{"place:barcelona"}, absent: []string{"organization:mobile_world_congress"}},
		{body: "Delegates met at the Nuclear World Congress in Vienna.", absent: []string{"organization:nuclear_world_congress"}},
		{body: "The World Jewish Congress said it welcomed the ruling.", want: []string{"organization:world_jewish_congress"}},
	})
}

// TestRecordedOnRound14: an unknown acronym a person was seen or caught on,
// or whose images are meant, is a recording medium; one who appears on a
// broadcaster, or an acronym going on to a noun, is left as it was.
func TestRecordedOnRound14(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The suspect was seen on CCTV at the station on Friday night.", absent: []string{"organization:cctv"}},
		{body: "She was caught on CCTV leaving the shop.", absent: []string{"organization:cctv"}},
		{body: "Police said CCTV images showed the driver.", absent: []string{"organization:cctv"}},
		{body: "The minister appeared on CNN on Sunday.", want: []string{"organization:cnn"}},
		{body: "The fight was seen on KTLA news that night.", want: []string{"organization:ktla"}},
	})
}

// TestAModelCodeIsNoBody: capital letters joined by a hyphen to a number
// are a model's code ("AK-47" rifles, an "IL-76" aircraft, a "P-8"), not a
// body's acronym; an acronym before a hyphen and a word still names its
// body ("UN-backed").
func TestAModelCodeIsNoBody(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "The gunmen carried AK-47 assault rifles.", absent: []string{"organization:ak"}},
		{body: "Gunmen wielding AK-47s opened fire.", absent: []string{"organization:ak"}},
		{body: "China sent an IL-76 aircraft to Perth.", absent: []string{"organization:il"}},
		{body: "The UN-backed talks resumed.", want: []string{"organization:un"}},
	})
}
