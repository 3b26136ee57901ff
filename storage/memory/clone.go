package memory

import (
	"bytes"
	"slices"

	"github.com/securityinfo/securityinfo/wizard/info"
)

// cloneMethod copies m's byte fields (a security key's credential) and
// its security questions, so that what the store holds and what a caller
// holds never share memory, as with a store on disk.
func cloneMethod(m info.Method) info.Method {
	m.CredentialID = bytes.Clone(m.CredentialID)
	m.PublicKey = bytes.Clone(m.PublicKey)
	m.AAGUID = bytes.Clone(m.AAGUID)
	m.Questions = slices.Clone(m.Questions)
	return m
}
