package slapdtest

import (
	"os"
	"syscall"
)

// slapd gets its own process group (a Ctrl+C in the terminal reaches the
// test binary, which stops slapd in its cleanup) and is killed if the test
// binary dies without cleaning up (a panic in another goroutine, a kill,
// SIGPIPE from a closed `go test | ...` pipe).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

var (
	sigPause  os.Signal = syscall.SIGSTOP
	sigResume os.Signal = syscall.SIGCONT
	sigStop   os.Signal = syscall.SIGTERM
)

// supported says whether slapdtest can run slapd here.
func supported() error { return nil }
