package directory_test

import (
	"bytes"
	"testing"
)

// Two stations of one directory derive security key user handles from
// one key, so a person's handle is the same at every desk of the fleet.
func TestDirectory_UserHandleKeySharedByStations(t *testing.T) {
	d, s := open(t)
	a, err := d.UserHandleKey()
	if err != nil {
		t.Fatal(err)
	}
	b, err := openOn(t, s).UserHandleKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 32 || !bytes.Equal(a, b) {
		t.Errorf("two stations: user handle keys %x and %x", a, b)
	}
}
