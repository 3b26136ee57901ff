package delivery

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/securityinfo/securityinfo/wizard/method"
)

func TestOutbox_AppendAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "dir", "outbox.jsonl")
	now := time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)
	o := &Outbox{Path: path, Now: func() time.Time { return now }}
	msgs := []method.Message{
		{To: "+12015550123", Channel: method.ChannelSMS, Text: "first"},
		{To: "+12015550123", Channel: method.ChannelVoice, Text: "second"},
		{To: "alice@contoso.example", Channel: method.ChannelEmail, Text: "third"},
	}
	for i, m := range msgs {
		if i == 2 {
			now = now.Add(time.Minute)
		}
		if err := o.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("outbox mode %v, %v; want 0600", fi.Mode(), err)
	}
	for _, d := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		if di, err := os.Stat(d); err != nil || di.Mode().Perm() != 0o700 {
			t.Fatalf("directory %s mode %v, %v; want 0700", d, di.Mode(), err)
		}
	}
	got, err := ReadOutbox(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"third", "second", "first"}
	if len(got) != len(want) {
		t.Fatalf("read %d entries: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Text != w {
			t.Errorf("entry %d is %q, want %q", i, got[i].Text, w)
		}
	}
	if got[0].To != "alice@contoso.example" || got[0].Channel != method.ChannelEmail ||
		!got[0].Time.Equal(now) || got[1].Channel != method.ChannelVoice {
		t.Errorf("newest entries %+v", got[:2])
	}
}

func TestOutbox_TightensExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.jsonl")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := (&Outbox{Path: path}).Send(context.Background(), smsMessage); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", fi.Mode())
	}
	got, err := ReadOutbox(path)
	if err != nil || len(got) != 1 || got[0].Text != testText || got[0].To != testTo {
		t.Fatalf("read %+v, %v", got, err)
	}
}

func TestOutbox_Missing(t *testing.T) {
	got, err := ReadOutbox(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || got != nil {
		t.Fatalf("missing outbox: %v, %v", got, err)
	}
}

func TestOutbox_Damaged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.jsonl")
	if err := (&Outbox{Path: path}).Send(context.Background(), smsMessage); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"time":"2024-`)
	f.Close()
	if _, err := ReadOutbox(path); err == nil {
		t.Fatal("a damaged line was not reported")
	}
}

func TestOutbox_Failures(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	checkFailure(t, (&Outbox{Path: filepath.Join(dir, "o")}).Send(ctx, smsMessage), ReasonCancelled)
	checkFailure(t, (&Outbox{}).Send(context.Background(), smsMessage), ReasonConfig)
	// A file where a directory should be.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := (&Outbox{Path: filepath.Join(blocker, "outbox")}).Send(context.Background(), smsMessage)
	de := checkFailure(t, err, ReasonLocal)
	if de.Err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("local failure %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "o")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a cancelled send wrote the outbox")
	}
}
