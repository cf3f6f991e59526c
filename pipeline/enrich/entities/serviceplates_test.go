package entities

import "testing"

// TestAnOrdinaryWordInCapitalsAfterABodyInCapitalsIsItsService (issue
// 15, round 32, set 37's uci-news:3014, 3077): "HBO GO" is HBO's
// service, as "HBO Go" is, and no body named GO. A headline in capitals
// throughout is not read so.
func TestAnOrdinaryWordInCapitalsAfterABodyInCapitalsIsItsService(t *testing.T) {
	for _, tt := range []struct {
		title        string
		want, absent []string
	}{
		{title: "HBO GO problems hit 'True Detective' finale", want: []string{"organization:hbo"}, absent: []string{"organization:go"}},
		{title: "True Detective finale CRASHES HBO GO due to 'overwhelming demand'", want: []string{"organization:hbo"}, absent: []string{"organization:go"}},
		{title: "HBO Go problems hit the finale", want: []string{"organization:hbo"}, absent: []string{"organization:go"}},
	} {
		checkKeys(t, newX(t).Extract(tt.title, "", "en"), tt.want, tt.absent)
	}
}
