package secret

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// TestCheck_Argon2idKnownAnswer checks a hash written by another argon2id
// implementation: password "password", salt "somesalt", t=2, m=64 KiB,
// p=1, the argon2 reference implementation's test vector (as in
// golang.org/x/crypto/argon2's tests). argon2i or argon2d under the label
// argon2id would not match.
func TestCheck_Argon2idKnownAnswer(t *testing.T) {
	want, _ := hex.DecodeString("068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7")
	enc := base64.RawStdEncoding
	phc := "$argon2id$v=19$m=64,t=2,p=1$" + enc.EncodeToString([]byte("somesalt")) + "$" + enc.EncodeToString(want)
	if ok, err := Check(phc, "password"); !ok || err != nil {
		t.Errorf("Check(reference argon2id hash, right password) = %v, %v", ok, err)
	}
	if ok, _ := Check(phc, "Password"); ok {
		t.Error("Check accepts the wrong password")
	}
	// The argon2i vector of the same inputs, labelled argon2id, must not
	// pass: the label says how the hash was made.
	argon2i, _ := hex.DecodeString("8cf3d8f76a6617afe35fac48eb0b7433a9a670ca4a07ed64")
	fake := "$argon2id$v=19$m=64,t=2,p=1$" + enc.EncodeToString([]byte("somesalt")) + "$" + enc.EncodeToString(argon2i)
	if ok, _ := Check(fake, "password"); ok {
		t.Error("Check accepts an argon2i hash labelled argon2id")
	}
}

// TestHash_IsArgon2idOfTheSalt recomputes Hash's output with
// argon2.IDKey from the salt it drew: the key in the string is argon2id's
// with the parameters the string names.
func TestHash_IsArgon2idOfTheSalt(t *testing.T) {
	salt := []byte("0123456789abcdef")
	h, err := Hash("correct horse", bytes.NewReader(salt))
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawStdEncoding
	want := "$argon2id$v=19$m=19456,t=2,p=1$" + enc.EncodeToString(salt) + "$" +
		enc.EncodeToString(argon2.IDKey([]byte("correct horse"), salt, 2, 19456, 1, 32))
	if h != want {
		t.Errorf("Hash = %q\nwant   %q", h, want)
	}
	if strings.Contains(h, "correct horse") {
		t.Error("the hash holds the secret")
	}
}
