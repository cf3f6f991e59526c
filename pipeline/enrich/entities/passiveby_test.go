package entities

import "testing"

// TestAPassiveHeadlinesAgentEndsTheSubjectsRun (issue 15, round 46,
// found by rev46): a title-case headline in the passive runs from its
// subject through the past and "By" into the agent, and a body's word at
// its end ("Parliament", "Congress") made the whole run one
// organization. The past before "By" is the headline's verb: the
// subject before it and the agent after it are read as runs of their
// own.
func TestAPassiveHeadlinesAgentEndsTheSubjectsRun(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "Theresa May Plan Rejected By Parliament", want: []string{"person:theresa_may"}, absent: []string{"organization:theresa_may_plan_rejected_by_parliament"}},
		{title: "Theresa May Deal Rejected By Parliament", want: []string{"person:theresa_may"}, absent: []string{"organization:theresa_may_deal_rejected_by_parliament"}},
		{title: "Merkel Plan Rejected By Parliament", absent: []string{"organization:merkel_plan_rejected_by_parliament"}},
		{title: "Tax Bill Approved By European Parliament", want: []string{"organization:european_parliament"}, absent: []string{"organization:tax_bill_approved_by_european_parliament"}},
		{title: "Quellmark Deal Blocked By Federal Trade Commission", want: []string{"organization:federal_trade_commission"}},
		{title: "Man Arrested By Police In Miami", want: []string{"place:miami"}, absent: []string{"organization:man_arrested_by_police"}},
		// no body's word after "By": it reads as before, the subject
		// no paper by its "Times"
		{title: "Titanfall Xbox One Download Times Announced By Quellmark", absent: []string{"organization:titanfall_xbox_one_download_times"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
