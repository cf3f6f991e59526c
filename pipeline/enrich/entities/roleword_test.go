package entities

import "testing"

// TestRoleWordBeforeAFullName (issue 15, round 12): a common noun before
// a first name and a surname is the person's role, within a sentence as
// at its start, though no title list has it; a saint's name and a
// street's stay what they are.
func TestRoleWordBeforeAFullName(t *testing.T) {
	got := newX(t).Extract("News", "The race pits Auditor Mary Quillfeather against Registrar John Dowdeswick in March.", "en")
	checkKeys(t, got, []string{"person:mary_quillfeather", "person:john_dowdeswick"},
		[]string{"person:auditor_mary_quillfeather", "person:registrar_john_dowdeswick"})
	got = newX(t).Extract("News", "Police cordoned off an area near the Place Jean Quillart", "en")
	checkKeys(t, got, nil, []string{"person:jean_quillart"})
	got = newX(t).Extract("News", "The parish of Saint Pierre Vantoux held a vote.", "en")
	checkKeys(t, got, nil, []string{"person:pierre_vantoux"})
}

// A building or body named after a person is no role before a name
// (review, round 12).
func TestPlacesNamedAfterPeopleAreNoRoles(t *testing.T) {
	got := newX(t).Extract("News", "The band played the Royal Albert Hall and later the Collège Jean Quillart in March.", "en")
	checkKeys(t, got, nil, []string{"person:albert_hall", "person:jean_quillart"})
}
