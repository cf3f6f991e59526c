package entities

import "testing"

// TestPatrolSecretariatDirectorateHeads: a patrol, a secretariat, a
// directorate and an inspectorate are bodies by their last word, as an
// authority or a bureau is, so "Washington State Patrol" is no longer
// Washington DC and "Pacific Islands Forum Secretariat (PIFS)" one body
// with its acronym, not the forum and a second body "PIFS".
func TestPatrolSecretariatDirectorateHeads(t *testing.T) {
	checkCases(t, "News", []keyCase{
		{body: "Washington State Patrol troopers closed the road.", want: []string{"organization:washington_state_patrol"}, absent: []string{"place:washington_dc", "place:washington_state"}},
		{body: "The Florida Highway Patrol said the driver died.", want: []string{"organization:florida_highway_patrol"}, absent: []string{"place:florida"}},
		{body: "The US Border Patrol said arrests fell.", want: []string{"organization:us_border_patrol"}},
		{body: "Officials from the Pacific Islands Forum Secretariat (PIFS) met on Monday. PIFS said it would meet again.", want: []string{"organization:pacific_islands_forum_secretariat"}, absent: []string{"organization:pifs", "organization:pacific_islands_forum"}},
		{body: "The Directorate of Military Intelligence said the claim was false.", want: []string{"organization:directorate_of_military_intelligence"}},
	})
}
