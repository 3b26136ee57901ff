package wizard

import "time"

// WaitForSends waits for every code a reset is sending in the background
// (StartProof returns before the send ends): tests that read a code sent,
// or change the sender, after StartProof call it first.
func WaitForSends(f *Flow) { f.sends.Wait() }

// SetStandInSleep has a reset's stand-in sends wait with sleep instead of
// time.Sleep.
func SetStandInSleep(f *Flow, sleep func(time.Duration)) {
	f.sendTook.mu.Lock()
	defer f.sendTook.mu.Unlock()
	f.sendTook.sleep = sleep
}
