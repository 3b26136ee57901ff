package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/wizard"
	"github.com/securityinfo/securityinfo/wizard/delivery"
	"github.com/securityinfo/securityinfo/wizard/info"
	"github.com/securityinfo/securityinfo/wizard/station"
	"github.com/securityinfo/securityinfo/wizard/tap"
)

// OutboxFile is the demo outbox's file in the data dir.
const OutboxFile = "outbox.jsonl"

// sender builds the policy's delivery: the demo outbox, or a provider
// whose credentials are read from the keyring at each send, so that a
// keyring that was locked at start-up doesn't break delivery for good.
func sender(pol wizard.Policy, dataDir string, dir info.Store) wizard.Sender {
	switch pol.Delivery {
	case "twilio":
		return senderFunc(func(ctx context.Context, m wizard.Message) error {
			var c station.TwilioCredentials
			if err := providerSecret(dir, "twilio", &c); err != nil {
				return err
			}
			return (&delivery.Twilio{BaseURL: pol.TwilioBaseURL, AccountSID: c.AccountSID, AuthToken: c.AuthToken, From: pol.TwilioFrom}).Send(ctx, m)
		})
	case "webhook":
		return senderFunc(func(ctx context.Context, m wizard.Message) error {
			ps, _ := dir.(info.Store)
			if ps == nil {
				return errors.New("this directory keeps no provider credentials")
			}
			key, err := ps.StationSecret("webhook")
			if err != nil {
				fmt.Fprintf(os.Stderr, "securityinfo: webhook credentials: %v (set them with 'securityinfo provider set webhook')\n", err)
				return errors.New("codes can't be sent from this station right now: choose a different method, or ask your helpdesk")
			}
			return (&delivery.Webhook{URL: pol.WebhookURL, Key: key}).Send(ctx, m)
		})
	default:
		return &delivery.Outbox{Path: filepath.Join(dataDir, OutboxFile), Now: time.Now}
	}
}

// providerSecret reads a provider's JSON credentials from the keyring.
func providerSecret(dir info.Store, name string, into any) error {
	ps, _ := dir.(info.Store)
	if ps == nil {
		return errors.New("this directory keeps no provider credentials")
	}
	raw, err := ps.StationSecret(name)
	if err != nil {
		// The person sees this on the phone page: say what to do there;
		// the administrator's fix goes to the log.
		fmt.Fprintf(os.Stderr, "securityinfo: %s credentials: %v (set them with 'securityinfo provider set %s')\n", name, err, name)
		return errors.New("codes can't be sent from this station right now: choose a different method, or ask your helpdesk")
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("the %s credentials in the keyring are damaged: set them again", name)
	}
	return nil
}

type senderFunc func(context.Context, wizard.Message) error

func (f senderFunc) Send(ctx context.Context, m wizard.Message) error { return f(ctx, m) }

// auditor records the app's actions in the directory's audit log, with the
// person as actor and this machine as station.
func auditor(dir info.Store) func(actor, action, account, detail string) {
	log, _ := dir.(info.Store)
	station := storage.StationName()
	return func(actor, action, account, detail string) {
		if log == nil {
			return
		}
		if actor == "" {
			actor = account
		}
		if actor == "" || actor == "(unknown account)" {
			actor = "station"
		}
		_ = log.AppendAudit(info.AuditEntry{Time: time.Now().UTC(), Actor: actor, Account: account, Action: action, Station: station, Detail: detail})
	}
}

// passCheck accepts a Temporary Access Pass where the password goes.
func passCheck(dir info.Store) func(account, typed string, now time.Time) (bool, error) {
	passes, ok := dir.(info.Store)
	if !ok {
		return nil
	}
	log, _ := dir.(info.Store)
	return (&tap.Verifier{Passes: passes, Audit: log, Station: storage.StationName()}).SignIn
}

// checkDeliveryURLs refuses at start a provider address that every send
// would refuse (plain http to anything but this machine).
func checkDeliveryURLs(file string, pol wizard.Policy) error {
	for key, u := range map[string]string{"twilio_base_url": pol.TwilioBaseURL, "webhook_url": pol.WebhookURL} {
		if u == "" {
			continue
		}
		if err := delivery.CheckURL(u); err != nil {
			return fmt.Errorf("%s: %s: %w", file, key, err)
		}
	}
	return nil
}
