package stripeemu

import (
	"fmt"
	"net/http"
)

// Stripe error types, as sent in the "type" field of an error body.
const (
	errTypeAPI            = "api_error"
	errTypeIdempotency    = "idempotency_error"
	errTypeInvalidRequest = "invalid_request_error"
)

// Stripe error codes used by the emulator.
const (
	codeEmailInvalid            = "email_invalid"
	codeParameterInvalidInteger = "parameter_invalid_integer"
	codeParameterMissing        = "parameter_missing"
	codeParameterUnknown        = "parameter_unknown"
	codeResourceAlreadyExists   = "resource_already_exists"
	codeResourceMissing         = "resource_missing"
)

// apiError is an error in Stripe's wire shape: {"error": {...}}.
type apiError struct {
	status int // HTTP status code

	// validation marks errors raised while checking a request's parameters,
	// before the endpoint began executing. Like Stripe, the idempotency layer
	// does not record such results, so a corrected retry under the same key
	// executes.
	validation bool

	Code    string `json:"code,omitempty"`
	DocURL  string `json:"doc_url,omitempty"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	Type    string `json:"type"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.Type, e.Message) }

// errorBody is the JSON envelope of every Stripe error response.
type errorBody struct {
	Error *apiError `json:"error"`
}

func docURL(code string) string {
	if code == "" {
		return ""
	}
	// Stripe links codes with dashes: resource_missing -> resource-missing.
	b := []byte(code)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	return "https://stripe.com/docs/error-codes/" + string(b)
}

// invalidParam returns a 400 invalid_request_error about a request parameter.
func invalidParam(param, code, format string, args ...any) *apiError {
	return &apiError{
		status:     http.StatusBadRequest,
		validation: true,
		Type:       errTypeInvalidRequest,
		Code:       code,
		DocURL:     docURL(code),
		Param:      param,
		Message:    fmt.Sprintf(format, args...),
	}
}

// stateError returns a 400 invalid_request_error caused by the account's
// state rather than by the request's parameters alone, such as a name
// already taken. Unlike a validation error it is raised while the endpoint
// executes, so the idempotency layer records it as Stripe does.
func stateError(param, code, format string, args ...any) *apiError {
	e := invalidParam(param, code, format, args...)
	e.validation = false
	return e
}

// invalidRequest returns a 400 invalid_request_error that names no parameter.
func invalidRequest(format string, args ...any) *apiError {
	return &apiError{
		status:     http.StatusBadRequest,
		validation: true,
		Type:       errTypeInvalidRequest,
		Message:    fmt.Sprintf(format, args...),
	}
}

// resourceMissing returns Stripe's "No such <noun>: '<id>'" error. An object
// named in the URL yields 404; one named by a parameter yields 400.
func resourceMissing(status int, noun, param, id string) *apiError {
	return &apiError{
		status:  status,
		Type:    errTypeInvalidRequest,
		Code:    codeResourceMissing,
		DocURL:  docURL(codeResourceMissing),
		Param:   param,
		Message: fmt.Sprintf("No such %s: '%s'", noun, id),
	}
}

// missingParam returns Stripe's error for a required parameter not sent.
func missingParam(param string) *apiError {
	return invalidParam(param, codeParameterMissing, "Missing required param: %s.", param)
}

// emptyParam returns Stripe's error for the empty string sent for a
// parameter that cannot be unset.
func emptyParam(param string) *apiError {
	return invalidParam(param, "",
		"You passed an empty string for '%s'. We assume empty values are an attempt to unset a parameter; however '%s' cannot be unset. You should remove '%s' from your request or supply a non-empty value.",
		param, param, param)
}

// unsupportedParam rejects a parameter that Stripe accepts but the emulator
// does not model yet. It is deliberately not parameter_unknown: the request
// is valid against Stripe, the sandbox is the one falling short.
func unsupportedParam(param string) *apiError {
	return invalidParam(param, "",
		"The sandbox Stripe emulator does not support the parameter '%s' on this endpoint yet.", param)
}

// internalError returns a 500 api_error.
func internalError(format string, args ...any) *apiError {
	return &apiError{
		status:  http.StatusInternalServerError,
		Type:    errTypeAPI,
		Message: fmt.Sprintf(format, args...),
	}
}
