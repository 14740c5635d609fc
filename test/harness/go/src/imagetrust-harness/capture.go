package main

import (
	"sync"

	"github.com/sirupsen/logrus"
)

// logCapture is a logrus hook that records debug messages while a single
// library call runs; requests are handled one at a time.
type logCapture struct {
	mu       sync.Mutex
	messages []string
}

var capture logCapture

func (c *logCapture) Levels() []logrus.Level { return logrus.AllLevels }

func (c *logCapture) Fire(e *logrus.Entry) error {
	c.mu.Lock()
	c.messages = append(c.messages, e.Message)
	c.mu.Unlock()
	return nil
}

// reset discards what was captured so far.
func (c *logCapture) reset() {
	c.mu.Lock()
	c.messages = nil
	c.mu.Unlock()
}

// take returns and clears what was captured.
func (c *logCapture) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.messages
	c.messages = nil
	return m
}
