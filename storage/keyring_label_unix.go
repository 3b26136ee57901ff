//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package storage

import (
	ss "github.com/zalando/go-keyring/secret_service"
)

// SetLabelled stores an item in the Secret Service as go-keyring's Set
// does (same "service" and "username" attributes, so go-keyring's Get and
// Delete find it), but with a label a person understands and attributes
// to search by: go-keyring's Set always labels "Password for 'user' on
// 'service'" and takes no attributes.
func (goKeyring) SetLabelled(service, user, password string, label ItemLabel) error {
	if err := sessionBusCheck(); err != nil {
		return err
	}
	svc, err := ss.NewSecretService()
	if err != nil {
		return err
	}
	session, err := svc.OpenSession()
	if err != nil {
		return err
	}
	defer svc.Close(session)
	attrs := map[string]string{}
	for k, v := range label.Attributes {
		attrs[k] = v
	}
	attrs["username"], attrs["service"] = user, service
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return err
	}
	return svc.CreateItem(collection, label.Label, attrs, ss.NewSecret(session.Path(), password))
}
