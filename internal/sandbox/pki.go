package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki holds the paths of the certificates and keys one sandbox run generates: a cluster CA,
// the apiserver's serving certificate and the service-account signing key.
type pki struct {
	CACert, CAKey           string
	ServingCert, ServingKey string
	ServiceAccountKey       string
	ServiceAccountPub       string
	// The aggregation layer: the front-proxy CA aggregated API servers trust for the
	// apiserver's requestheader client certificate, and metrics-server's serving certificate.
	FrontProxyCACert                    string
	FrontProxyClientCert                string
	FrontProxyClientKey                 string
	MetricsServerCert, MetricsServerKey string
}

func newPKI(dir string) (*pki, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pki{
		CACert:            filepath.Join(dir, "ca.crt"),
		CAKey:             filepath.Join(dir, "ca.key"),
		ServingCert:       filepath.Join(dir, "apiserver.crt"),
		ServingKey:        filepath.Join(dir, "apiserver.key"),
		ServiceAccountKey: filepath.Join(dir, "sa.key"),
		ServiceAccountPub: filepath.Join(dir, "sa.pub"),

		FrontProxyCACert:     filepath.Join(dir, "front-proxy-ca.crt"),
		FrontProxyClientCert: filepath.Join(dir, "front-proxy-client.crt"),
		FrontProxyClientKey:  filepath.Join(dir, "front-proxy-client.key"),
		MetricsServerCert:    filepath.Join(dir, "metrics-server.crt"),
		MetricsServerKey:     filepath.Join(dir, "metrics-server.key"),
	}
	now := time.Now().Add(-time.Hour)

	caKey, caDER, caCert, err := selfSignedCA(&x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "octollm-sandbox-ca"},
		NotBefore:             now,
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	if err != nil {
		return nil, err
	}
	srvKeyDER, srvDER, err := leaf(caCert, caKey, &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now,
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")},
	})
	if err != nil {
		return nil, err
	}

	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	saPub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}

	caKeyDER, err := x509.MarshalECPrivateKey(caKey)
	if err != nil {
		return nil, err
	}
	files := []struct {
		path, typ string
		der       []byte
	}{
		{p.CACert, "CERTIFICATE", caDER},
		{p.CAKey, "EC PRIVATE KEY", caKeyDER},
		{p.ServingCert, "CERTIFICATE", srvDER},
		{p.ServingKey, "EC PRIVATE KEY", srvKeyDER},
		{p.ServiceAccountKey, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(saKey)},
		{p.ServiceAccountPub, "PUBLIC KEY", saPub},
	}
	if err := writePEMs(files); err != nil {
		return nil, err
	}
	if err := p.aggregationCerts(caCert, caKey, now); err != nil {
		return nil, err
	}
	return p, nil
}

func writePEMs(files []struct {
	path, typ string
	der       []byte
}) error {
	for _, f := range files {
		data := pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der})
		if err := os.WriteFile(f.path, data, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	return nil
}

// aggregationCerts writes the front-proxy CA and the apiserver's client certificate under it
// (CN front-proxy-client, the one name --requestheader-allowed-names admits), and
// metrics-server's serving certificate for the name the aggregator dials
// (metrics-server.kube-system.svc), signed by the cluster CA the APIService trusts.
func (p *pki) aggregationCerts(ca *x509.Certificate, caKey *ecdsa.PrivateKey, now time.Time) error {
	fpKey, fpDER, fpCA, err := selfSignedCA(&x509.Certificate{
		SerialNumber:          big.NewInt(10),
		Subject:               pkix.Name{CommonName: "octollm-sandbox-front-proxy-ca"},
		NotBefore:             now,
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	})
	if err != nil {
		return err
	}
	clientKey, clientDER, err := leaf(fpCA, fpKey, &x509.Certificate{
		SerialNumber: big.NewInt(11),
		Subject:      pkix.Name{CommonName: "front-proxy-client"},
		NotBefore:    now,
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return err
	}
	msKey, msDER, err := leaf(ca, caKey, &x509.Certificate{
		SerialNumber: big.NewInt(12),
		Subject:      pkix.Name{CommonName: "metrics-server"},
		NotBefore:    now,
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"metrics-server.kube-system.svc", "localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	})
	if err != nil {
		return err
	}
	return writePEMs([]struct {
		path, typ string
		der       []byte
	}{
		{p.FrontProxyCACert, "CERTIFICATE", fpDER},
		{p.FrontProxyClientCert, "CERTIFICATE", clientDER},
		{p.FrontProxyClientKey, "EC PRIVATE KEY", clientKey},
		{p.MetricsServerCert, "CERTIFICATE", msDER},
		{p.MetricsServerKey, "EC PRIVATE KEY", msKey},
	})
}

// selfSignedCA creates the CA tmpl describes with a new P-256 key.
func selfSignedCA(tmpl *x509.Certificate) (*ecdsa.PrivateKey, []byte, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	return key, der, cert, nil
}

// leaf issues tmpl under ca with a new P-256 key and returns the key's and the certificate's DER.
func leaf(ca *x509.Certificate, caKey *ecdsa.PrivateKey, tmpl *x509.Certificate) (keyDER, certDER []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if certDER, err = x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey); err != nil {
		return nil, nil, err
	}
	if keyDER, err = x509.MarshalECPrivateKey(key); err != nil {
		return nil, nil, err
	}
	return keyDER, certDER, nil
}
