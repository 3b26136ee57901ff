package storage

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/securityinfo/securityinfo/wizard/info"
)

func TestLocal_ProviderSecretsAreApartFromPeople(t *testing.T) {
	keys := NewMemoryKeyring()
	l, dir := openTest(t, keys)
	if _, err := l.StationSecret("twilio"); !errors.Is(err, info.ErrSecretNotFound) {
		t.Fatalf("unset: %v", err)
	}
	if err := l.SetStationSecret("twilio", []byte(`{"sid":"AC1","token":"tok-canary"}`)); err != nil {
		t.Fatal(err)
	}
	got, err := l.StationSecret("twilio")
	if err != nil || string(got) != `{"sid":"AC1","token":"tok-canary"}` {
		t.Fatalf("read back %q, %v", got, err)
	}
	// An account named like the provider does not reach it.
	l.CreateAccount(info.Account{Name: "twilio"})
	if ms, _ := l.Methods("twilio"); len(ms) != 0 {
		t.Fatal("the provider's secret shows up as a method")
	}
	db, _ := os.ReadFile(filepath.Join(dir, DataFileName))
	if bytes.Contains(db, []byte("tok-canary")) {
		t.Fatal("the provider token is in the data file")
	}
	if err := l.DeleteStationSecret("twilio"); err != nil {
		t.Fatal(err)
	}
	if err := l.DeleteStationSecret("twilio"); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if keys.Len() != 0 {
		t.Errorf("keyring holds %d items after delete", keys.Len())
	}
	if err := l.SetStationSecret("a/b", nil); err == nil {
		t.Error("a provider name with '/' was accepted")
	}
}
