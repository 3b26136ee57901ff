package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/securityinfo/securityinfo/storage"
	"github.com/securityinfo/securityinfo/storage/directory"
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
			c, err := station.LoadTwilio(dir)
			if err != nil {
				return cantSend("twilio", err)
			}
			return (&delivery.Twilio{BaseURL: pol.TwilioBaseURL, AccountSID: c.AccountSID, AuthToken: c.AuthToken, From: pol.TwilioFrom}).Send(ctx, m)
		})
	case "webhook":
		return senderFunc(func(ctx context.Context, m wizard.Message) error {
			key, err := station.LoadWebhookKey(dir)
			if err != nil {
				return cantSend("webhook", err)
			}
			return (&delivery.Webhook{URL: pol.WebhookURL, Key: key}).Send(ctx, m)
		})
	default:
		return &delivery.Outbox{Path: filepath.Join(dataDir, OutboxFile), Now: time.Now}
	}
}

// cantSend logs what the administrator must fix and gives the person,
// who sees it on the phone page, what they can do.
func cantSend(provider string, err error) error {
	fmt.Fprintf(os.Stderr, "securityinfo: %s credentials: %v (set them with 'securityinfo provider set %s')\n", provider, err, provider)
	return errors.New("codes can't be sent from this station right now: choose a different method, or ask your helpdesk")
}

type senderFunc func(context.Context, wizard.Message) error

func (f senderFunc) Send(ctx context.Context, m wizard.Message) error { return f(ctx, m) }

// auditor records the app's actions in the store's audit log, with the
// person as actor and this machine as station, and hands each to notify
// (the notices of changes to security info), which must not block. A
// failed write goes to the log on stderr and back to the flow, which
// refuses or undoes the action, or fails it if it can't be undone
// (wizard.Config.Audit). The notice goes out either way: a person told of
// a change that was then undone loses less than one not told of a change
// that stayed.
func auditor(dir info.Store, notify func(actor, action, account, detail string)) func(actor, action, account, detail string) error {
	station := storage.StationName()
	return func(actor, action, account, detail string) error {
		if actor == "" {
			actor = account
		}
		if actor == "" || actor == "(unknown account)" {
			actor = "station"
		}
		err := dir.AppendAudit(info.AuditEntry{Time: time.Now().UTC(), Actor: actor, Account: account, Action: action, Station: station, Detail: detail})
		if err != nil {
			fmt.Fprintf(os.Stderr, "securityinfo: writing the audit log (%s): %v\n", action, err)
			err = fmt.Errorf("writing the audit log: %w", err)
		}
		if notify != nil {
			notify(actor, action, account, detail)
		}
		return err
	}
}

// passCheck accepts a Temporary Access Pass where the password goes.
func passCheck(dir info.Store) func(account, typed string, now time.Time) (bool, error) {
	return (&tap.Verifier{Passes: dir, Audit: dir, Station: storage.StationName()}).SignIn
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

// openPolicyStore opens where people's security info lives: the organisation's
// directory when the policy has a [directory] table, else the data file
// in dataDir. Either way the station's own credentials (the directory
// bind password among them) stay in this machine's keyring, under the
// data dir's store id; with a directory, nothing per-person is kept here.
func openPolicyStore(policyFile string, pol wizard.Policy, dataDir string, opts storage.LocalOptions) (info.Store, error) {
	local, err := storage.OpenLocalWith(dataDir, &storage.OSKeyring{}, opts)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dataDir, err)
	}
	for _, note := range local.Tightened() {
		fmt.Fprintf(os.Stderr, "securityinfo: %s\n", note)
	}
	ds := pol.Directory
	if ds.URL == "" {
		return local, nil
	}
	cfg := directory.Config{URL: ds.URL, BaseDN: ds.BaseDN, AccountFilter: ds.AccountFilter, BindDN: ds.BindDN,
		HelpdeskGroup: ds.HelpdeskGroup, CAFile: ds.CAFile, Timeout: ds.Timeout, Station: storage.StationName()}
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("%s: [directory] %w", policyFile, err)
	}
	pw, err := station.DirectoryCredential(local)
	if errors.Is(err, station.ErrNotSet) {
		return nil, errors.New("this station has no directory credential yet: set it with 'securityinfo directory credential'")
	}
	if err != nil {
		return nil, fmt.Errorf("reading the station's directory credential from the keyring: %w", err)
	}
	d, err := directory.Open(cfg, []byte(pw), local)
	if err != nil {
		return nil, fmt.Errorf("connecting to the directory %s: %w", ds.URL, err)
	}
	if note := d.TriesNote(); note != "" {
		fmt.Fprintf(os.Stderr, "securityinfo: directory %s: %s\n", ds.URL, note)
	}
	return d, nil
}
