// Package billing implements octollm_billing_plan: a Stripe product with, per usage meter, a
// billing meter (event name octollm_<key>, summed) and a monthly metered price linked to it.
package billing
