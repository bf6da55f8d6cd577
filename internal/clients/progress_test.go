package clients

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// A Stripe retry shows at INFO with the method and path only; what else stripe-go logs (request
// and response bodies, which hold customers' emails) never reaches the log.
func TestStripeRetryLogger(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	l := stripeRetryLogger{ctx: ctx}
	l.Warnf("Initiating retry %v for request %v %v%v after sleeping %v", 1, "POST", "api.stripe.com", "/v1/customers", "500ms")
	l.Errorf("Request error from Stripe (status %v): %v", 402, `{"error":{"message":"card declined for billing@acme.example"}}`)
	l.Debugf("Response: %s", `{"id":"cus_1","email":"billing@acme.example"}`)
	l.Infof("Requesting %v %v%v", "POST", "api.stripe.com", "/v1/customers")
	l.Warnf("Unable to encode client telemetry: %v", "x")
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("want only the retry logged, got %d entries: %v", len(entries), entries)
	}
	if got := entries[0]["@message"]; got != "Stripe: Initiating retry 1 for request POST api.stripe.com/v1/customers after sleeping 500ms" || entries[0]["@level"] != "info" {
		t.Errorf("logged %v at %v", got, entries[0]["@level"])
	}
	if strings.Contains(out.String(), "acme.example") {
		t.Errorf("a Stripe body reached the log: %s", out.String())
	}
}

// A wait logs when it starts and ends, and while it lasts no more than every ProgressEvery.
func TestProgress(t *testing.T) {
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	p := StartProgress(ctx, "GKE operation op-1 (create node pool)")
	p.Tick(ctx, "operation RUNNING") // right after the start: not logged
	p.last = p.last.Add(-ProgressEvery)
	p.Tick(ctx, "operation RUNNING")
	p.Done(ctx)
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e["@level"] != "info" {
			t.Errorf("%v logged at %v, want info", e["@message"], e["@level"])
		}
		got = append(got, e["@message"].(string))
	}
	want := []string{
		"Waiting for GKE operation op-1 (create node pool)",
		"Still waiting for GKE operation op-1 (create node pool): operation RUNNING",
		"Done waiting for GKE operation op-1 (create node pool)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
