package main

import "encoding/json"

func handleLookaside(raw json.RawMessage) (interface{}, error)   { return nil, nil }
func handlePullSources(raw json.RawMessage) (interface{}, error) { return nil, nil }
func handleShortNames(raw json.RawMessage) (interface{}, error)  { return nil, nil }
