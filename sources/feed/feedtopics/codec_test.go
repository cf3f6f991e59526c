package feedtopics

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirestream/wirestream/sources/feed"
)

func TestSpecRoundTripsThroughTheTopicsFormat(t *testing.T) {
	specs := []feed.Spec{
		{URL: "https://feeds.example.org/world.xml"},
		{URL: "https://feeds.example.org/tech.xml", Name: "Tech", Tags: []string{"tech", "en"},
			MinInterval: 5 * time.Minute, MaxInterval: 2 * time.Hour,
			Headers: map[string]string{"Authorization": "Bearer ${EXAMPLE_TOKEN}", "X-A": "1"}},
	}
	for _, s := range specs {
		v, err := EncodeSpec(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeSpec([]byte(s.URL), v)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip of %+v gave %+v (value %s)", s, got, v)
		}
		again, _ := EncodeSpec(got)
		if string(again) != string(v) {
			t.Errorf("encoding is not canonical: %s then %s", v, again)
		}
	}
	v, _ := EncodeSpec(specs[1])
	if !strings.Contains(string(v), `"min_interval":"5m0s"`) || !strings.Contains(string(v), "${EXAMPLE_TOKEN}") {
		t.Errorf("value %s: durations should read as durations, header references stay unexpanded", v)
	}
}

func TestDecodeSpecRefusesWhatAFetcherMustNotPoll(t *testing.T) {
	const url = "https://feeds.example.org/a.xml"
	tests := []struct {
		name, value, want string
	}{
		{"not JSON", `<feed/>`, "not a feed's settings"},
		{"an unknown field", `{"v":1,"url":"` + url + `","interval":"5m"}`, "unknown field"},
		{"another format version", `{"v":2,"url":"` + url + `"}`, "format version 2"},
		{"a URL other than the key", `{"v":1,"url":"https://elsewhere.example/x.xml"}`, "another URL"},
		{"a bad duration", `{"v":1,"url":"` + url + `","min_interval":"soon"}`, "min_interval"},
		{"an invalid spec", `{"v":1,"url":"` + url + `","min_interval":"2h","max_interval":"1h"}`, "must be <= max_interval"},
		{"trailing data", `{"v":1,"url":"` + url + `"} {}`, "after the JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeSpec([]byte(url), []byte(tt.value))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeSpec = %v, want an error with %q", err, tt.want)
			}
		})
	}
	if _, err := DecodeSpec([]byte("ftp://x"), []byte(`{"v":1,"url":"ftp://x"}`)); err == nil {
		t.Error("a feed with an ftp URL was accepted")
	}
}

func FuzzDecodeSpec(f *testing.F) {
	f.Add([]byte("https://feeds.example.org/a.xml"), []byte(`{"v":1,"url":"https://feeds.example.org/a.xml","tags":["x"],"min_interval":"1m"}`))
	f.Add([]byte("https://a.example/"), []byte(`{"v":1,"url":"https://a.example/","headers":{"X":"${Y}"}}`))
	f.Add([]byte("k"), []byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, key, value []byte) {
		s, err := DecodeSpec(key, value)
		if err != nil {
			return
		}
		// Whatever is accepted is a valid feed that encodes and decodes to itself.
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid spec: %v", err)
		}
		v, err := EncodeSpec(s)
		if err != nil {
			t.Fatal(err)
		}
		again, err := DecodeSpec(key, v)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Fatalf("re-encoding %+v: %+v, %v", s, again, err)
		}
	})
}
