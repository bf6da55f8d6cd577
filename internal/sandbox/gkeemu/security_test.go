package gkeemu

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cloud.google.com/go/container/apiv1/containerpb"
)

func TestSeededClusterIsHardened(t *testing.T) {
	s, err := New(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	c := s.ClusterSecurity()
	if c.GetDatabaseEncryption().GetState() != containerpb.DatabaseEncryption_ENCRYPTED ||
		c.GetDatabaseEncryption().GetKeyName() != "projects/octollm-sandbox/locations/us-central1/keyRings/octollm/cryptoKeys/etcd-secrets" {
		t.Errorf("databaseEncryption = %v", c.GetDatabaseEncryption())
	}
	if n := len(c.GetLoggingConfig().GetComponentConfig().GetEnableComponents()); n != 3 {
		t.Errorf("logging components = %v", c.GetLoggingConfig())
	}
	if !c.GetShieldedNodes().GetEnabled() || c.GetBinaryAuthorization().GetEvaluationMode() != containerpb.BinaryAuthorization_PROJECT_SINGLETON_POLICY_ENFORCE ||
		c.GetWorkloadIdentityConfig().GetWorkloadPool() != "octollm-sandbox.svc.id.goog" {
		t.Errorf("security = %v", c)
	}
	if c.GetNodePools() != nil || c.GetName() != "" {
		t.Errorf("ClusterSecurity returned more than the security fields: %v", c)
	}
}

func TestSecurityHandler(t *testing.T) {
	s, addr := startServer(t, testConfig())
	srv := httptest.NewServer(s.SecurityHandler())
	defer srv.Close()
	put := func(body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, srv.URL, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := put(`{"shieldedNodes":{},"databaseEncryption":{"state":"DECRYPTED"},"loggingConfig":{"componentConfig":{"enableComponents":["SYSTEM_COMPONENTS"]}}}`)
	if code != http.StatusOK || strings.Contains(body, "shieldedNodes\":{\"enabled") {
		t.Fatalf("PUT: %d %s", code, body)
	}
	// The change shows through the real GetCluster RPC; fields not in the PUT stay.
	c, err := newClient(t, addr, testToken).GetCluster(ctxT(t), &containerpb.GetClusterRequest{Name: clusterName})
	if err != nil {
		t.Fatal(err)
	}
	if c.GetShieldedNodes().GetEnabled() || c.GetDatabaseEncryption().GetState() != containerpb.DatabaseEncryption_DECRYPTED ||
		len(c.GetLoggingConfig().GetComponentConfig().GetEnableComponents()) != 1 ||
		c.GetBinaryAuthorization().GetEvaluationMode() != containerpb.BinaryAuthorization_PROJECT_SINGLETON_POLICY_ENFORCE {
		t.Fatalf("after PUT: %v", c)
	}
	if code, body = put(`{"name":"other","shieldedNodes":{"enabled":true}}`); code != http.StatusBadRequest || !strings.Contains(body, "not name") {
		t.Fatalf("PUT with a non-security field: %d %s", code, body)
	}
	if code, body = put(`{"shieldedNodes":`); code != http.StatusBadRequest || !strings.Contains(body, "cluster security JSON") {
		t.Fatalf("PUT bad JSON: %d %s", code, body)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if !strings.Contains(string(b), `"evaluationMode":"PROJECT_SINGLETON_POLICY_ENFORCE"`) {
		t.Fatalf("GET: %s", b)
	}
}
