terraform {
  required_version = ">= 1.5.0"
  required_providers {
    octollm = {
      source  = "octollm/octollm"
      version = ">= 0.1.0"
    }
  }
}
