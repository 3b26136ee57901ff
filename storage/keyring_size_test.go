package storage

import (
	"errors"
	"testing"
)

// No keyring item reaches MaxKeyringItem bytes, whichever caller forgot
// to refuse a long secret first: nothing is written.
func TestSetSecret_RefusesItemsOverTheBound(t *testing.T) {
	kr := NewMemoryKeyring()
	long := make([]byte, MaxKeyringItem*3/4) // base64: exactly MaxKeyringItem
	if err := setSecret(kr, "svc", "user", long, ItemLabel{}); !errors.Is(err, ErrSecretTooLong) {
		t.Errorf("a %d-byte item: %v, want ErrSecretTooLong", MaxKeyringItem, err)
	}
	if kr.Len() != 0 {
		t.Errorf("%d items written", kr.Len())
	}
	if err := setSecret(kr, "svc", "user", long[:len(long)-3], ItemLabel{}); err != nil {
		t.Errorf("an item under the bound: %v", err)
	}
}
