# Production on GKE: Kubernetes access is derived from the cluster.
provider "octollm" {
  namespace = "octollm"
  gke {
    project  = "acme-prod"
    location = "us-central1"
    cluster  = "octollm"
    # credentials: GOOGLE_CREDENTIALS, or Application Default Credentials
  }
  stripe {
    # api_key from STRIPE_API_KEY
  }
}
