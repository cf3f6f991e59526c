package kafka

import (
	"strings"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	kgzip "github.com/segmentio/kafka-go/compress/gzip"
	kzstd "github.com/segmentio/kafka-go/compress/zstd"
)

// freshCodecTable gives a test kafka-go's codec table as a process that
// has made no sink yet has it, and puts the table back afterwards.
func freshCodecTable(t *testing.T) {
	t.Helper()
	installed.Lock()
	saved, savedLevels := compress.Codecs, installed.level
	compress.Codecs[kafka.Zstd], compress.Codecs[kafka.Gzip] = &kzstd.Codec{}, &kgzip.Codec{}
	installed.level = nil
	installed.Unlock()
	t.Cleanup(func() {
		installed.Lock()
		compress.Codecs, installed.level = saved, savedLevels
		installed.Unlock()
	})
}

func TestCompressionLevelIsCheckedPerCodec(t *testing.T) {
	cases := []struct {
		name        string
		compression string
		level       int
		want        string // "" = valid
	}{
		{"zstd's default is wirestream's level 1", "zstd", 0, ""},
		{"zstd takes 1", "zstd", 1, ""},
		{"zstd takes 22", "zstd", 22, ""},
		{"zstd refuses 23", "zstd", 23, "kafka.compression_level: zstd takes 1 to 22 (0 for wirestream's default, 1), got 23"},
		{"a negative level is refused", "zstd", -1, "kafka.compression_level: zstd takes 1 to 22 (0 for wirestream's default, 1), got -1"},
		{"gzip takes 9", "gzip", 9, ""},
		{"gzip refuses 10", "gzip", 10, "kafka.compression_level: gzip takes 1 to 9 (0 for the default, 6), got 10"},
		{"lz4 has no level", "lz4", 1, "kafka.compression_level: kafka-go's lz4 codec has no level: leave it unset (0), got 1"},
		{"none has no level", "none", 3, "kafka.compression_level: kafka-go's none codec has no level: leave it unset (0), got 3"},
		{"an unknown codec is reported once, as the codec", "brotli", 5, `kafka.compression: want zstd, snappy, lz4, gzip or none, got "brotli"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Compression, cfg.CompressionLevel = tc.compression, tc.level
			err := cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v, want no error", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Errorf("Validate: %v, want %q", err, tc.want)
			}
		})
	}
}

// The first sink of a process installs its level in kafka-go's codec
// table, which every writer of the process compresses with; a later sink
// at the same level changes nothing, one at another level is refused.
func TestTheCompressionLevelIsInstalledOncePerProcess(t *testing.T) {
	freshCodecTable(t)
	zstdAt := func(level int) Config {
		c := DefaultConfig()
		c.CompressionLevel = level
		return c
	}
	if err := installCompression(zstdAt(0)); err != nil {
		t.Fatal(err)
	}
	first, ok := compress.Codecs[kafka.Zstd].(*zstdCodec)
	if !ok || first.Level != DefaultZstdLevel {
		t.Fatalf("codec table holds %#v for zstd, want kafka-go's zstd codec at level %d", compress.Codecs[kafka.Zstd], DefaultZstdLevel)
	}
	if err := installCompression(zstdAt(DefaultZstdLevel)); err != nil {
		t.Errorf("a second sink at the same level: %v", err)
	}
	if compress.Codecs[kafka.Zstd] != first {
		t.Error("a second sink at the same level replaced the codec")
	}
	err := installCompression(zstdAt(3))
	if err == nil || !strings.Contains(err.Error(), "already compresses zstd at level 1") || !strings.Contains(err.Error(), "cannot use level 3") {
		t.Errorf("a sink at another level: %v, want a refusal naming both levels", err)
	}
	if compress.Codecs[kafka.Zstd] != first {
		t.Error("a refused sink replaced the codec")
	}

	gz := DefaultConfig()
	gz.Compression, gz.CompressionLevel = "gzip", 9
	if err := installCompression(gz); err != nil {
		t.Fatal(err)
	}
	if c, ok := compress.Codecs[kafka.Gzip].(*kgzip.Codec); !ok || c.Level != 9 {
		t.Errorf("codec table holds %#v for gzip, want level 9", compress.Codecs[kafka.Gzip])
	}
	lz := DefaultConfig()
	lz.Compression = "lz4"
	before := compress.Codecs[kafka.Lz4]
	if err := installCompression(lz); err != nil || compress.Codecs[kafka.Lz4] != before {
		t.Errorf("lz4, which has no level: %v, codec replaced: %v", err, compress.Codecs[kafka.Lz4] != before)
	}
}

// New installs the level before it makes a writer, and refuses to start
// with a level the process cannot give it.
func TestNewRefusesALevelTheProcessAlreadyUsesAnother(t *testing.T) {
	freshCodecTable(t)
	_, cfg := fakeConfig(t)
	newSink(t, cfg, nil)
	if c, ok := compress.Codecs[kafka.Zstd].(*zstdCodec); !ok || c.Level != DefaultZstdLevel {
		t.Fatalf("after New the codec table holds %#v for zstd, want level %d", compress.Codecs[kafka.Zstd], DefaultZstdLevel)
	}
	other := cfg
	other.CompressionLevel = 3
	_, err := New(t.Context(), other, testLogger(t), nil)
	if err == nil || !strings.Contains(err.Error(), "kafka sink: kafka.compression_level: this process already compresses zstd at level 1") {
		t.Fatalf("New at another level: %v", err)
	}
}
