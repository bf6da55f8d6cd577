# An exposure imports by namespace/name (the Gateway's).
terraform import octollm_gateway_exposure.public octollm/public
