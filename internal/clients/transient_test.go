package clients

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// A write whose connection the server drops is retried: R1 failed a compliance evidence update
// on "use of closed network connection" that KubeTransient did not recognise. Refusals the
// user must act on are not retried.
func TestKubeTransient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close() // the connection breaks under the request, as the fault proxy's resets do
		}
	}))
	defer srv.Close()
	cs, err := kubernetes.NewForConfig(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "evidence", Namespace: "octollm", ResourceVersion: "1"}}
	_, err = cs.CoreV1().ConfigMaps("octollm").Update(context.Background(), cm, metav1.UpdateOptions{})
	if err == nil || !KubeTransient(err) {
		t.Errorf("a dropped connection under an update: KubeTransient(%v) = false, want true", err)
	}

	wrapped := &url.Error{Op: "Put", URL: "https://127.0.0.1:6443/api/v1/namespaces/octollm/configmaps/evidence",
		Err: &net.OpError{Op: "write", Net: "tcp", Err: net.ErrClosed}}
	gr := schema.GroupResource{Resource: "configmaps"}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{wrapped, true},
		{fmt.Errorf("Put %q: use of closed network connection", "https://127.0.0.1:6443"), true},
		{errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer"), true},
		{errors.New("http2: client connection lost"), true},
		{apierrors.NewServiceUnavailable("the fault proxy"), true},
		{apierrors.NewTooManyRequests("slow down", 1), true},
		{apierrors.NewConflict(gr, "evidence", errors.New("the object has been modified")), true},
		{apierrors.NewNotFound(gr, "evidence"), false},
		{apierrors.NewForbidden(gr, "evidence", errors.New("RBAC")), false},
		{errors.New(`ConfigMap octollm/evidence exists but is not managed by this provider`), false},
	} {
		if got := KubeTransient(tc.err); got != tc.want {
			t.Errorf("KubeTransient(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	if !GKETransient(wrapped) || GKETransient(errors.New("permission denied")) {
		t.Error("GKETransient must retry a lost connection and nothing a user must fix")
	}
}
