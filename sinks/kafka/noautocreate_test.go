package kafka

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"io"
	"net"
	"net/http/httptest"
	"testing"
	"time"
)

// written is a net.Conn that keeps what is written to it.
type written struct {
	net.Conn
	buf bytes.Buffer
}

func (w *written) Write(p []byte) (int, error) { return w.buf.Write(p) }

// frame is a request as kafka-go frames it: size, api key, api version, correlation id,
// client id, body.
func frame(key, version int16, body ...byte) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint16(b, uint16(key))
	b = binary.BigEndian.AppendUint16(b, uint16(version))
	b = binary.BigEndian.AppendUint32(b, 7)
	b = binary.BigEndian.AppendUint16(b, 9)
	b = append(b, "wirestream"[:9]...)
	b = append(b, body...)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...)
}

// The flag that lets a broker create a topic is cleared in every metadata request of
// version 6, however the writes split the frames, and no other byte changes: not in
// another version, another request, or a produce whose last byte happens to be 1.
func TestMetadataRequestsNeverLetTheBrokerCreateATopic(t *testing.T) {
	topics := []byte{0, 0, 0, 1, 0, 5, 's', 't', 'a', 't', 'e'}
	metaV6 := frame(apiMetadata, 6, append(topics, 1)...)
	metaV1 := frame(apiMetadata, 1, topics...)
	produce := frame(0, 7, 1, 2, 3, 1)
	heartbeat := frame(12, 0, 1)
	var in, want []byte
	for _, f := range [][]byte{heartbeat, metaV6, produce, metaV1, metaV6, heartbeat} {
		in = append(in, f...)
		w := bytes.Clone(f)
		if bytes.Equal(f, metaV6) {
			w[len(w)-1] = 0
		}
		want = append(want, w...)
	}
	for _, chunk := range []int{1, 2, 3, 5, 7, 8, 13, len(metaV6) - 1, len(metaV6), len(in)} {
		out := &written{}
		c := &noAutoCreate{Conn: out}
		orig := bytes.Clone(in)
		for i := 0; i < len(in); i += chunk {
			if _, err := c.Write(in[i:min(i+chunk, len(in))]); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out.buf.Bytes(), want) {
			t.Errorf("writes of %d bytes:\n got %x\nwant %x", chunk, out.buf.Bytes(), want)
		}
		if !bytes.Equal(in, orig) {
			t.Fatalf("writes of %d bytes changed the caller's buffer", chunk)
		}
	}
}

// With TLS the Dialer's connections are encrypted by DialFunc, under the flag's clearing:
// the broker reads the request with the flag cleared, and the server name is the host the
// address names, as kafka-go infers it.
func TestTheDialerClearsTheFlagUnderTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil) // for its certificate, valid for 127.0.0.1
	srv.StartTLS()
	defer srv.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: srv.TLS.Certificates})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	metaV6 := frame(apiMetadata, 6, 0, 0, 0, 1, 0, 1, 't', 1)
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b := make([]byte, len(metaV6))
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.ReadFull(c, b); err != nil {
			b = nil
		}
		got <- b
	}()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	cn := Conn{brokers: []string{ln.Addr().String()}, tls: &tls.Config{RootCAs: roots}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := cn.Dialer(10*time.Second).DialFunc(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(metaV6); err != nil {
		t.Fatal(err)
	}
	b := <-got
	want := bytes.Clone(metaV6)
	want[len(want)-1] = 0
	if !bytes.Equal(b, want) {
		t.Fatalf("the broker read %x, want %x", b, want)
	}
}
