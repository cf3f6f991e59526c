package kafka

import (
	"errors"
	"strings"

	"github.com/segmentio/kafka-go"
)

// errClass is what the sink does about a failed message.
type errClass int

const (
	// classRetry: the broker may take it later (down, leader moving, timed
	// out, not enough replicas). Retried with backoff until the Write's ctx
	// ends. Unknown errors land here: blocking is visible in metrics and
	// logs, a dropped record is not.
	classRetry errClass = iota
	// classTopicMissing: the topic is not in the broker's metadata. The sink
	// checks whether it was deleted (re-create or dead-letter) or is just
	// settling (retry).
	classTopicMissing
	// classReject: the broker refuses this record for good (too large,
	// invalid, refused by policy). It goes to the dead-letter topic.
	classReject
	// classFatal: every record would fail the same way (authentication,
	// authorization, unsupported codec). Write returns the error.
	classFatal
)

func (c errClass) String() string {
	switch c {
	case classTopicMissing:
		return "topic_missing"
	case classReject:
		return "rejected"
	case classFatal:
		return "fatal"
	default:
		return "retriable"
	}
}

func classify(err error) errClass {
	if errors.Is(err, ErrWriterStopped) {
		return classFatal
	}
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return classReject
	}
	var ke kafka.Error
	if !errors.As(err, &ke) {
		return classRetry // network, EOF, timeouts
	}
	switch ke {
	case kafka.UnknownTopicOrPartition:
		return classTopicMissing
	case kafka.MessageSizeTooLarge, kafka.RecordListTooLarge, kafka.InvalidMessage, kafka.InvalidMessageSize,
		kafka.InvalidTopic, kafka.InvalidTimestamp, kafka.PolicyViolation, kafka.InvalidRecord,
		kafka.UnsupportedForMessageFormat:
		return classReject
	case kafka.TopicAuthorizationFailed, kafka.ClusterAuthorizationFailed, kafka.SASLAuthenticationFailed,
		kafka.UnsupportedSASLMechanism, kafka.IllegalSASLState, kafka.UnsupportedVersion,
		kafka.UnsupportedCompressionType, kafka.InvalidRequiredAcks, kafka.TransactionalIDAuthorizationFailed,
		kafka.SecurityDisabled, kafka.BrokerAuthorizationFailed:
		return classFatal
	default:
		return classRetry
	}
}

// errorLabel is a short, bounded label for metrics.
func errorLabel(err error) string {
	var tooLarge kafka.MessageTooLargeError
	if errors.As(err, &tooLarge) {
		return "message_too_large"
	}
	var ke kafka.Error
	if errors.As(err, &ke) {
		return strings.ReplaceAll(strings.ToLower(ke.Title()), " ", "_")
	}
	return "network"
}
