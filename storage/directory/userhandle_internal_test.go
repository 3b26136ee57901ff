package directory

import (
	"bytes"
	"errors"
	"testing"
)

// The user handle key is the fleet's (derived from the try slot key
// every station reads), is not the try slot key itself, and is refused
// where the directory has none.
func TestUserHandleKey_FromTheTryKey(t *testing.T) {
	tryKey := bytes.Repeat([]byte{3}, 32)
	a, err := (&Directory{triesKey: tryKey}).UserHandleKey()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := (&Directory{triesKey: bytes.Clone(tryKey)}).UserHandleKey()
	if !bytes.Equal(a, b) || len(a) != 32 {
		t.Errorf("two stations of one directory: keys %x and %x", a, b)
	}
	if bytes.Equal(a, tryKey) {
		t.Error("the user handle key is the try slot key")
	}
	if c, _ := (&Directory{triesKey: bytes.Repeat([]byte{4}, 32)}).UserHandleKey(); bytes.Equal(a, c) {
		t.Error("two directories, one user handle key")
	}
	if _, err := (&Directory{triesErr: ErrNoTries}).UserHandleKey(); !errors.Is(err, ErrNoTries) {
		t.Errorf("no try key: %v", err)
	}
	if _, err := (&Directory{}).UserHandleKey(); err == nil {
		t.Error("no try key and no error")
	}
}
