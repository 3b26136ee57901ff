//go:build !cgo || nofido2

package fido2

import "time"

// Device is an open security key; in this build there are none.
type Device struct{}

// Devices answers ErrUnavailable: this build has no libfido2.
func Devices() ([]DeviceInfo, error) { return nil, ErrUnavailable }

// Find answers ErrUnavailable: this build has no libfido2.
func Find() (*Device, error) { return nil, ErrUnavailable }

// Open answers ErrUnavailable: this build has no libfido2.
func Open(string) (*Device, error) { return nil, ErrUnavailable }

// Path is empty.
func (d *Device) Path() string { return "" }

// SetTimeout does nothing.
func (d *Device) SetTimeout(time.Duration) {}

// Close does nothing.
func (d *Device) Close() error { return nil }

// Cancel does nothing.
func (d *Device) Cancel() error { return nil }

// Info answers ErrUnavailable.
func (d *Device) Info() (Info, error) { return Info{}, ErrUnavailable }

// Retries answers ErrUnavailable.
func (d *Device) Retries() (int, error) { return 0, ErrUnavailable }

// MakeCredential answers ErrUnavailable.
func (d *Device) MakeCredential(CredentialRequest) (*Credential, error) { return nil, ErrUnavailable }

// GetAssertion answers ErrUnavailable.
func (d *Device) GetAssertion(AssertionRequest) (*Assertion, error) { return nil, ErrUnavailable }

// VerifyAttestation answers ErrUnavailable.
func VerifyAttestation(*Credential, []byte, string, int) error { return ErrUnavailable }
