package kafka

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"net"
	"sync"
)

// kafka-go's Conn.ReadPartitions — which its consumer group's leader calls to deal the
// group's topics, its partition watcher every few seconds, and a Reader to find a topic's
// partitions — sends a metadata request (version 6) that lets the broker create a topic it
// does not have, and nothing in its config turns that off. A broker with
// auto.create.topics.enable=true (Kafka's default) then creates again, at once, empty and
// with its own defaults, a topic an operator deleted while the roles ran: a table topic
// (the feed list, the state changelog) came back with cleanup.policy=delete and one
// partition, and what it held was gone without a word. So the connections Conn.Dialer
// makes clear that flag on their way out: such a request asks, and a missing topic stays
// missing (kafka-go reads it as a topic with no partition), for provisioning or the
// operator to create as it should be. wirestream creates topics only with CreateTopics.
//
// A request is framed as its size (int32, big-endian), then the header — api key (int16),
// api version (int16), correlation id, client id — and the body; version 6 of the metadata
// request (api key 3) ends with allow_auto_topic_creation (one byte). kafka-go's older
// version 1, for brokers before Kafka 1.0, has no such field: those brokers create topics
// on any metadata request, and Kafka 4 no longer accepts it.
const (
	apiMetadata      = 3
	metadataAutoFlag = 6 // the metadata version kafka-go sends with the flag set
)

// noAutoCreate is a connection to a broker that clears allow_auto_topic_creation in the
// version 6 metadata requests written to it; every other byte passes as it is. It follows
// the request frames across writes, which may split a frame anywhere.
type noAutoCreate struct {
	net.Conn
	mu   sync.Mutex
	head [8]byte // the current frame's size, api key and api version, as far as written
	n    int     // bytes of head written
	left int     // bytes of the current frame after head still to be written
	flag bool    // the current frame is a metadata request whose last byte is the flag
}

func (c *noAutoCreate) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := p
	for i := 0; i < len(p); {
		if c.n < len(c.head) {
			k := copy(c.head[c.n:], p[i:])
			c.n += k
			i += k
			if c.n == len(c.head) {
				size := int(int32(binary.BigEndian.Uint32(c.head[:4])))
				key := int16(binary.BigEndian.Uint16(c.head[4:6]))
				version := int16(binary.BigEndian.Uint16(c.head[6:8]))
				c.left = size - 4 // the size counts the api key and version read
				c.flag = key == apiMetadata && version == metadataAutoFlag
				if c.left <= 0 {
					c.n = 0
				}
			}
			continue
		}
		k := min(c.left, len(p)-i)
		if c.flag && k == c.left && p[i+k-1] != 0 {
			if &out[0] == &p[0] {
				out = bytes.Clone(p) // the caller's buffer is not ours to change
			}
			out[i+k-1] = 0
		}
		i += k
		c.left -= k
		if c.left == 0 {
			c.n = 0
		}
	}
	return c.Conn.Write(out)
}

// dialNoAutoCreate is Conn.Dialer's DialFunc: it dials address, does the TLS handshake
// itself when the config has TLS (kafka-go would wrap the connection returned, and the
// frames must be seen before encryption), and returns the connection as noAutoCreate.
func (c Conn) dialNoAutoCreate(ctx context.Context, network, address string) (net.Conn, error) {
	nc, err := (&net.Dialer{DualStack: true}).DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if c.tls != nil {
		cfg := c.tls
		if cfg.ServerName == "" {
			// as kafka-go infers it: the host the address names
			cfg = cfg.Clone()
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				host = address
			}
			cfg.ServerName = host
		}
		tc := tls.Client(nc, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, err
		}
		nc = tc
	}
	return &noAutoCreate{Conn: nc}, nil
}
