package phonenumbers

import "reflect"

// Security Info's fork: proto stands in for google.golang.org/protobuf/proto
// in upstream's tests, which call proto.String, Int32, Uint64, Bool, Merge
// and Equal on these messages; with it those files stay as upstream wrote
// them but for the import, and the package does not need the protobuf
// module even to test.
var proto protoShim

type protoShim struct{}

func (protoShim) String(v string) *string { return stringPtr(v) }
func (protoShim) Int32(v int32) *int32    { return int32Ptr(v) }
func (protoShim) Uint64(v uint64) *uint64 { return uint64Ptr(v) }
func (protoShim) Bool(v bool) *bool       { return boolPtr(v) }

func (protoShim) Merge(dst, src *PhoneNumber) { mergePhoneNumber(dst, src) }

// Equal compares field by field, presence included, as proto.Equal does
// (PhoneNumber has no repeated fields, where nil and empty would differ).
func (protoShim) Equal(a, b *PhoneNumber) bool { return reflect.DeepEqual(a, b) }
