//go:build !linux

package slapdtest

import (
	"errors"
	"os"
	"syscall"
)

func sysProcAttr() *syscall.SysProcAttr { return nil }

var (
	sigPause  os.Signal = os.Interrupt
	sigResume os.Signal = os.Interrupt
	sigStop   os.Signal = os.Kill
)

// supported says whether slapdtest can run slapd here: it knows Debian's
// slapd layout and Linux process control only.
func supported() error {
	return errors.New("slapdtest runs slapd on Linux only")
}

// stopped can't be told here: Pause waits its full time.
func stopped(int) bool { return false }
