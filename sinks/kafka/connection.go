package kafka

import (
	"time"

	"github.com/segmentio/kafka-go"
)

// Transport returns a new kafka-go Transport (for a Writer or Client) with
// the connection's TLS and SASL setup: the consumer-group members and table
// readers of the scale-out roles build theirs from the sink's Conn. Each
// caches metadata for metadataTTL (0: kafka-go's 6 s) and pools
// connections; close them with CloseIdleConnections when done.
func (c Conn) Transport(metadataTTL time.Duration) *kafka.Transport {
	return c.transport(metadataTTL)
}
