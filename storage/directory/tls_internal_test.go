package directory

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// certificateError names the certificate's fault from crypto/x509's
// error, or from its text where go-ldap's StartTLS flattened it.
func TestCertificateError(t *testing.T) {
	d := &Directory{cfg: Config{URL: "ldap://ldap.contoso.example", CAFile: "/etc/ssl/contoso-ca.pem"}}
	cert := &x509.Certificate{DNSNames: []string{"other.contoso.example"}, NotAfter: time.Now().Add(-time.Hour)}
	flat := func(err error) error {
		return ldap.NewError(ldap.ErrorNetwork, errors.New("TLS handshake failed (tls: failed to verify certificate: "+err.Error()+")"))
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{x509.UnknownAuthorityError{Cert: cert}, "not signed by an authority in ca_file /etc/ssl/contoso-ca.pem"},
		{flat(x509.UnknownAuthorityError{Cert: cert}), "not signed by an authority in ca_file /etc/ssl/contoso-ca.pem"},
		{x509.HostnameError{Certificate: cert, Host: "ldap.contoso.example"}, "not for ldap.contoso.example"},
		{flat(x509.HostnameError{Certificate: cert, Host: "ldap.contoso.example"}), "not for ldap.contoso.example"},
		{x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}, "this station's clock"},
		{flat(x509.CertificateInvalidError{Cert: cert, Reason: x509.Expired}), "this station's clock"},
	} {
		got := d.certificateError(tc.err)
		if !errors.Is(got, ErrCertificate) || !strings.Contains(got.Error(), tc.want) {
			t.Errorf("certificateError(%v) = %v, want ErrCertificate saying %q", tc.err, got, tc.want)
		}
	}
	for _, err := range []error{
		ldap.NewError(ldap.LDAPResultUnavailable, errors.New("Could not initialize TLS")),
		ldap.NewError(ldap.ErrorNetwork, errors.New("connection reset by peer")),
	} {
		if got := d.certificateError(err); got != nil {
			t.Errorf("certificateError(%v) = %v, want nil (not a certificate's fault)", err, got)
		}
	}
	if got := d.startTLSError(ldap.NewError(ldap.LDAPResultUnavailable, errors.New("Could not initialize TLS"))); !errors.Is(got, ErrPlainLDAP) {
		t.Errorf("startTLSError(the server's 52) = %v, want ErrPlainLDAP", got)
	}
}
