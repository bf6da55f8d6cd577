# A billing plan imports by its Stripe product id (prod_...); meters are listed by key.
terraform import octollm_billing_plan.standard prod_Q1w2e3r4t5y6u7
