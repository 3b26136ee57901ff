package directory_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/securityinfo/securityinfo/storage/directory"
	"github.com/securityinfo/securityinfo/storage/directory/slapdtest"
	"github.com/securityinfo/securityinfo/wizard/info"
)

// A directory whose certificate the station doesn't trust is refused with
// words that say so and name the setting (ca_file), whether the station
// upgrades ldap:// with StartTLS or dials ldaps://; with ca_file set to
// the authority it opens. A server without TLS refuses StartTLS: that is
// ErrPlainLDAP.
func TestDirectory_TLSErrorsSayWhatFailed(t *testing.T) {
	s := slapdtest.Start(t, slapdtest.Options{TLS: true})
	defer directory.StartTLSOnLoopback()()
	for _, url := range []string{s.URL, s.LDAPSURL} {
		cfg := configFor(s)
		cfg.URL = url
		_, err := directory.Open(cfg, []byte(s.StationPassword), stationKeyring(t))
		if !errors.Is(err, directory.ErrCertificate) || errors.Is(err, directory.ErrPlainLDAP) || errors.Is(err, info.ErrDirectoryUnavailable) ||
			!strings.Contains(err.Error(), "ca_file") || !strings.Contains(err.Error(), "not signed by an authority this station trusts") {
			t.Errorf("Open(%s) with an untrusted certificate = %v, want ErrCertificate naming ca_file", url, err)
		}
		cfg.CAFile = s.CAFile
		d, err := directory.Open(cfg, []byte(s.StationPassword), stationKeyring(t))
		if err != nil {
			t.Errorf("Open(%s) with ca_file set to the authority = %v", url, err)
			continue
		}
		if _, err := d.Account("nobody"); !errors.Is(err, info.ErrNoAccount) {
			t.Errorf("a search over TLS (%s) = %v", url, err)
		}
		d.Close()
	}

	plain := slapdtest.Start(t, slapdtest.Options{})
	_, err := directory.Open(configFor(plain), []byte(plain.StationPassword), stationKeyring(t))
	if !errors.Is(err, directory.ErrPlainLDAP) {
		t.Errorf("StartTLS to a server without TLS = %v, want ErrPlainLDAP", err)
	}
}
