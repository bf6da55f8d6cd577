# A global route imports by its name.
terraform import octollm_model_route.summaries summaries

# A tenant route imports by tenant/name.
terraform import octollm_model_route.code_review acme/code-review
