package kafka

import (
	"fmt"
	"sync"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	kgzip "github.com/segmentio/kafka-go/compress/gzip"
)

// Compression levels. kafka-go compresses with the codec it finds in its
// process-wide table (compress.Codecs) under the writer's codec number, so
// a level is a property of the process, not of a writer: the first sink
// installs its level and every writer of the process (this sink's, and any
// other kafka-go writer using the same codec) compresses at it.
const (
	// DefaultZstdLevel is wirestream's zstd level when kafka.compression_level
	// is 0. kafka-go's own default is 3; on stories with 120-word bodies
	// level 1 spent 31–42 % less CPU in the codec and 21–27 % less per
	// Write to a real broker, for 2–5 % more bytes (BENCHMARKS.md, "zstd
	// level"). klauspost/compress, which kafka-go uses, has four speeds:
	// levels 1–2 are its fastest, 3–5 its default, 6–9 better, 10–22 best.
	DefaultZstdLevel = 1
	// DefaultGzipLevel is kafka-go's (and compress/gzip's) default.
	DefaultGzipLevel = 6
)

// compressionLevel returns the level the configured codec compresses at:
// the configured one, or the codec's default for 0. A level the codec
// does not take is an error; codecs without levels take only 0.
func compressionLevel(codec string, level int) (lvl int, err error) {
	switch codec {
	case "zstd":
		if level == 0 {
			return DefaultZstdLevel, nil
		}
		if level < 1 || level > 22 {
			return 0, fmt.Errorf("zstd takes 1 to 22 (0 for wirestream's default, %d), got %d", DefaultZstdLevel, level)
		}
	case "gzip":
		if level == 0 {
			return DefaultGzipLevel, nil
		}
		if level < 1 || level > 9 {
			return 0, fmt.Errorf("gzip takes 1 to 9 (0 for the default, %d), got %d", DefaultGzipLevel, level)
		}
	default:
		if level != 0 {
			return 0, fmt.Errorf("kafka-go's %s codec has no level: leave it unset (0), got %d", codec, level)
		}
	}
	return level, nil
}

// installed is what the process's codec table holds: the level this
// package installed per codec number.
var installed struct {
	sync.Mutex
	level map[compress.Compression]int
}

// installCompression makes kafka-go's codec table compress c's codec at
// c's level. The first call for a codec replaces the table's entry with a
// fresh codec at that level (fresh, so no encoder pooled at another level
// is reused); later calls at the same level change nothing, and a call at
// another level fails, since it cannot apply to one writer alone. New calls
// it before it makes its writers: no writer of the process has compressed
// with the codec before the first sink starts, so the replaced entry is
// read by no one.
func installCompression(c Config) error {
	code, err := compressionCodec(c.Compression)
	if err != nil {
		return fmt.Errorf("kafka.compression: %w", err)
	}
	level, err := compressionLevel(c.Compression, c.CompressionLevel)
	if err != nil {
		return fmt.Errorf("kafka.compression_level: %w", err)
	}
	var codec compress.Codec
	switch code {
	case kafka.Zstd:
		codec = newZstdCodec(level, c.BatchBytes)
	case kafka.Gzip:
		codec = &kgzip.Codec{Level: level}
	default:
		return nil // no level to set
	}
	installed.Lock()
	defer installed.Unlock()
	if have, ok := installed.level[code]; ok {
		if have != level {
			return fmt.Errorf("kafka.compression_level: this process already compresses %s at level %d "+
				"(kafka-go's codec table is shared by every writer of a process), so it cannot use level %d",
				c.Compression, have, level)
		}
		return nil
	}
	if installed.level == nil {
		installed.level = map[compress.Compression]int{}
	}
	compress.Codecs[code] = codec
	installed.level[code] = level
	return nil
}

// EffectiveCompressionLevel is the level c's codec compresses at, its
// default applied; 0 for codecs without levels (and for a level Validate
// refuses).
func (c Config) EffectiveCompressionLevel() int {
	level, err := compressionLevel(c.Compression, c.CompressionLevel)
	if err != nil {
		return 0
	}
	return level
}
