package state

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The file format of the file log's segments and snapshots, and of the
// Kafka log's snapshot cache:
//
//	file    = header record*
//	header  = "WSTATE" version:u8 kind:u8 seq:u64le           (16 bytes)
//	record  = length:u32le crc32c(payload):u32le payload
//	payload = 'E' count:uvarint entry*    (count >= 1: the entries of one Append)
//	        | 'M' meta                    (a snapshot's metadata, e.g. the offset it covers)
//	entry   = table:u8 keylen:uvarint key vallen+1:uvarint value   (vallen+1 = 0: tombstone)
//
// One Append is one record, so a torn write loses whole batches, never
// part of one.

const (
	magic         = "WSTATE"
	formatVersion = 1
	headerSize    = 16
	recordHead    = 8

	kindSegment  = 'L'
	kindSnapshot = 'S'

	payloadEntries = 'E'
	payloadMeta    = 'M'
)

// maxRecord bounds a record's payload length: the reader takes a larger one
// for garbage (a torn length field), not data, so the snapshot writer
// refuses an entry that would need one. A variable only so that a test can
// lower it rather than hold 256 MiB.
var maxRecord = 256 << 20

// errEntryTooLarge is an entry, or an append's entries together, larger
// than a record can hold.
var errEntryTooLarge = errors.New("state entry larger than a record can hold")

// recordTooLarge is the error for entries whose one entries record, of
// payload size bytes, the reader would refuse as longer than maxRecord,
// naming their largest entry. One Append is one record (a torn write loses
// whole batches), so such a batch cannot be split; written, it would make
// the whole log unreadable at the next start.
func recordTooLarge(es []Entry, size int) error {
	largest, largestSize := 0, 0
	for i, e := range es {
		if n := entrySize(e); n > largestSize {
			largest, largestSize = i, n
		}
	}
	e := es[largest]
	return fmt.Errorf("%d entries are %d bytes, over the %d a record holds; the largest, entry %s of table %s, is %d bytes: %w",
		len(es), size, maxRecord, keyForError(e.Key), e.Table, largestSize, errEntryTooLarge)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func putHeader(b []byte, kind byte, seq uint64) []byte {
	b = append(b, magic...)
	b = append(b, formatVersion, kind)
	return binary.LittleEndian.AppendUint64(b, seq)
}

func parseHeader(b []byte) (kind byte, seq uint64, err error) {
	if len(b) < headerSize || string(b[:len(magic)]) != magic {
		return 0, 0, errors.New("not a wirestream state file (bad magic)")
	}
	if b[6] != formatVersion {
		return 0, 0, fmt.Errorf("state file format version %d, this build reads %d", b[6], formatVersion)
	}
	return b[7], binary.LittleEndian.Uint64(b[8:16]), nil
}

// appendRecord frames payload as one record onto b.
func appendRecord(b, payload []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(payload, castagnoli))
	return append(b, payload...)
}

// entriesPayloadHead is the start of an entries payload of n entries, its
// kind and count, spelt in buf: what a record written in pieces, without
// encodeEntries, begins its payload with.
func entriesPayloadHead(buf *[1 + binary.MaxVarintLen64]byte, n int) []byte {
	buf[0] = payloadEntries
	return buf[:1+binary.PutUvarint(buf[1:], uint64(n))]
}

// recordFrame is the frame a record written in pieces begins with: its
// payload's length, size, and checksum, sum.
func recordFrame(size int, sum uint32) [recordHead]byte {
	var frame [recordHead]byte
	binary.LittleEndian.PutUint32(frame[:], uint32(size))
	binary.LittleEndian.PutUint32(frame[4:], sum)
	return frame
}

// encodeEntries appends one entries record holding es to b.
func encodeEntries(b []byte, es []Entry) []byte {
	start := len(b)
	b = append(b, make([]byte, recordHead)...)
	b = append(b, payloadEntries)
	b = binary.AppendUvarint(b, uint64(len(es)))
	for _, e := range es {
		b = appendEntry(b, e)
	}
	payload := b[start+recordHead:]
	binary.LittleEndian.PutUint32(b[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(b[start+4:], crc32.Checksum(payload, castagnoli))
	return b
}

func appendEntry(b []byte, e Entry) []byte {
	return append(appendEntryFrame(b, e), e.Value...)
}

// appendEntryFrame appends what appendEntry does but the value: a
// tombstone whole, a live entry's head.
func appendEntryFrame(b []byte, e Entry) []byte {
	if e.Value == nil {
		b = append(b, byte(e.Table))
		b = binary.AppendUvarint(b, uint64(len(e.Key)))
		b = append(b, e.Key...)
		return binary.AppendUvarint(b, 0)
	}
	return appendEntryHead(b, e)
}

// entriesPayloadSize is the payload length of the record encodeEntries
// makes of es.
func entriesPayloadSize(es []Entry) int {
	n := 0
	for _, e := range es {
		n += entrySize(e)
	}
	return recordPayloadSize(len(es), n)
}

// appendEntryHead appends a live entry's encoding up to its value: table,
// key length, key, value length.
func appendEntryHead(b []byte, e Entry) []byte {
	b = append(b, byte(e.Table))
	b = binary.AppendUvarint(b, uint64(len(e.Key)))
	b = append(b, e.Key...)
	return binary.AppendUvarint(b, uint64(len(e.Value))+1)
}

// entrySize is what appendEntry adds.
func entrySize(e Entry) int {
	return 1 + uvarintLen(uint64(len(e.Key))) + len(e.Key) + uvarintLen(uint64(len(e.Value))+1) + len(e.Value)
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}

// decodeEntries calls fn for each entry of an entries payload (after its
// kind byte). Keys and values alias p.
func decodeEntries(p []byte, fn func(Entry) error) (int, error) {
	n, k := binary.Uvarint(p)
	if k <= 0 || n == 0 {
		return 0, errors.New("bad entry count")
	}
	p = p[k:]
	for i := uint64(0); i < n; i++ {
		if len(p) < 1 {
			return int(i), errors.New("entry cut short")
		}
		e := Entry{Table: Table(p[0])}
		p = p[1:]
		kl, k := binary.Uvarint(p)
		if k <= 0 || kl > uint64(len(p)-k) {
			return int(i), errors.New("bad key length")
		}
		e.Key = p[k : k+int(kl) : k+int(kl)]
		p = p[k+int(kl):]
		vl, k := binary.Uvarint(p)
		if k <= 0 || (vl > 0 && vl-1 > uint64(len(p)-k)) {
			return int(i), errors.New("bad value length")
		}
		p = p[k:]
		if vl > 0 {
			e.Value = p[: vl-1 : vl-1]
			p = p[vl-1:]
		}
		if err := fn(e); err != nil {
			return int(i), err
		}
	}
	if len(p) != 0 {
		return int(n), errors.New("trailing bytes after the entries")
	}
	return int(n), nil
}

// recordReader reads the records of one file after its header.
type recordReader struct {
	r    *bufio.Reader
	off  int64 // offset of the next record
	size int64 // file size
	buf  []byte
}

// errTorn is a record that the end of the file cuts short, or that is
// garbage up to the end of the file: a write a crash interrupted.
var errTorn = errors.New("torn record at the end of the file")

// next returns the next record's payload (valid until the next call), or
// io.EOF at a clean end, errTorn for a torn tail, or another error for a
// damaged record with more data after it.
func (rr *recordReader) next() ([]byte, error) {
	if rr.off == rr.size {
		return nil, io.EOF
	}
	var head [recordHead]byte
	if _, err := io.ReadFull(rr.r, head[:]); err != nil {
		return nil, errTorn
	}
	n := int64(binary.LittleEndian.Uint32(head[:4]))
	sum := binary.LittleEndian.Uint32(head[4:])
	end := rr.off + recordHead + n
	if n == 0 || n > int64(maxRecord) {
		if rr.restZero(head[:]) {
			return nil, errTorn
		}
		return nil, fmt.Errorf("record at offset %d: impossible length %d", rr.off, n)
	}
	if end > rr.size {
		return nil, errTorn
	}
	if cap(rr.buf) < int(n) {
		rr.buf = make([]byte, n, max(n, 64<<10))
	}
	p := rr.buf[:n]
	if _, err := io.ReadFull(rr.r, p); err != nil {
		return nil, errTorn
	}
	if crc32.Checksum(p, castagnoli) != sum {
		if end == rr.size {
			return nil, errTorn // the last write, half on disk
		}
		return nil, fmt.Errorf("record at offset %d: checksum mismatch", rr.off)
	}
	rr.off = end
	return p, nil
}

// restZero reports whether the record head and everything after it are
// zero bytes: a file the crash extended without its data.
func (rr *recordReader) restZero(head []byte) bool {
	for _, c := range head {
		if c != 0 {
			return false
		}
	}
	var chunk [4096]byte
	for {
		n, err := rr.r.Read(chunk[:])
		for _, c := range chunk[:n] {
			if c != 0 {
				return false
			}
		}
		if err != nil {
			return true
		}
	}
}

// frameSize is the length of what appendEntryFrame appends for e: its
// encoding less its value.
func frameSize(e Entry) int { return entrySize(e) - len(e.Value) }
