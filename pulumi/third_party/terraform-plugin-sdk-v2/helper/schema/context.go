// Copyright (c) HashiCorp, Inc.
// SPDX-License-Identifier: MPL-2.0

package schema

type Key string

var (
	StopContextKey = Key("StopContext")
)
