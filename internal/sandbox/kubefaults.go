package sandbox

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/octollm/terraform-provider-octollm/internal/sandbox/faults"
)

// KubeFaultEnvPrefix prefixes the variables that put the apiserver fault proxy in the provider's
// path at sandbox start: OCTOLLM_SANDBOX_KUBE_FAULT_ERROR_RATE (0 to 1; set, even to 0, to enable
// the proxy), _KINDS (429,500,503,reset), _VERBS (HTTP methods or Kubernetes verbs), _PATH_PREFIX,
// _RETRY_AFTER (seconds) and _SEED, read by [faults.KubeFromEnv]. The emulators' admin endpoint
// changes them later at /faults/kube.
const KubeFaultEnvPrefix = "OCTOLLM_SANDBOX_KUBE_FAULT"

// KubeFaultProxyURL is the https URL of the apiserver fault proxy (it serves the apiserver's
// certificate, so the sandbox CA verifies it).
func (s *State) KubeFaultProxyURL() string {
	return fmt.Sprintf("https://127.0.0.1:%d", s.Ports.KubeFaultProxy)
}

// ProviderKubeconfig is the kubeconfig the provider's environment names: through the fault
// proxy when the sandbox started with apiserver faults, else the apiserver's own. The sandbox's
// components and the tests' checks use Kubeconfig, which always reaches the apiserver directly.
func (s *State) ProviderKubeconfig() string {
	if s.KubeFaults {
		return filepath.Join(s.Dir, "kubeconfig-faults")
	}
	return s.Kubeconfig
}

// KubeServingCertPaths are the apiserver's serving certificate and key, which the fault proxy
// serves as well.
func (s *State) KubeServingCertPaths() (cert, key string) {
	return filepath.Join(s.Dir, "pki", "apiserver.crt"), filepath.Join(s.Dir, "pki", "apiserver.key")
}

// setupKubeFaults checks the OCTOLLM_SANDBOX_KUBE_FAULT_* variables and, when they ask for
// apiserver faults, records it and writes the kubeconfig through the proxy; the emulators
// process serves the proxy, and the GKE emulator then hands out its address as the cluster's
// endpoint.
func (st *starter) setupKubeFaults() error {
	inj, err := faults.KubeFromEnv(KubeFaultEnvPrefix)
	if err != nil {
		return err
	}
	if inj == nil {
		return nil
	}
	st.s.KubeFaults = true
	direct, err := os.ReadFile(st.s.Kubeconfig)
	if err != nil {
		return err
	}
	proxied := strings.Replace(string(direct), "server: "+st.s.APIServerURL(), "server: "+st.s.KubeFaultProxyURL(), 1)
	// The sandbox directory is the one this process was told to start in.
	if err := os.WriteFile(st.s.ProviderKubeconfig(), []byte(proxied), 0o600); err != nil { //nolint:gosec // G703
		return err
	}
	st.logf("apiserver fault proxy at %s (%+v)", st.s.KubeFaultProxyURL(), inj.Settings())
	return st.s.save()
}
