package memory

import (
	"bytes"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// cloneMethod copies m's byte fields (a security key's credential), so
// that what the store holds and what a caller holds never share memory,
// as with a store on disk.
func cloneMethod(m info.Method) info.Method {
	m.CredentialID = bytes.Clone(m.CredentialID)
	m.PublicKey = bytes.Clone(m.PublicKey)
	m.AAGUID = bytes.Clone(m.AAGUID)
	return m
}
