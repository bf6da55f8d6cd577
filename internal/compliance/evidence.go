package compliance

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/octollm/terraform-provider-octollm/internal/clients"
	"github.com/octollm/terraform-provider-octollm/internal/contract"
)

// MaxRecords is how many evidence records a control keeps, newest last.
const MaxRecords = 100

// MaxHistoryBytes bounds the history below the 1 MiB a ConfigMap may hold: with a wide scope
// (thousands of tenant namespaces) fewer than MaxRecords records fit, and the oldest go first.
const MaxHistoryBytes = 900 << 10

// Keys of the evidence ConfigMap.
const (
	RecordsKey = "records.jsonl"
	ControlKey = "control.json"
	kindValue  = "compliance-evidence"
)

// Settings are a control resource's configuration, kept with its evidence so an import can
// restore them.
type Settings struct {
	Framework   string            `json:"framework"`
	ControlID   string            `json:"control_id"`
	Scope       Scope             `json:"scope"`
	Enforcement string            `json:"enforcement"`
	Parameters  map[string]string `json:"parameters"`
}

// Record is one evaluation as the evidence history keeps it.
type Record struct {
	EvaluatedAt     string            `json:"evaluated_at"`
	Framework       string            `json:"framework"`
	ControlID       string            `json:"control_id"`
	Enforcement     string            `json:"enforcement"`
	Status          string            `json:"status"`
	ProviderVersion string            `json:"provider_version"`
	Scope           Scope             `json:"scope"`
	Parameters      map[string]string `json:"parameters"`
	Mechanisms      []MechanismResult `json:"mechanisms"`
	// Enforced lists the objects enforce mode wrote before this evaluation.
	Enforced []string `json:"enforced"`
}

// EvidenceName is the ConfigMap holding a control's evidence in the platform namespace.
func EvidenceName(c Control) string { return "compliance-evidence-" + ObjectName(c.Framework, c.ID) }

// AppendRecords adds line (one JSON record) to a JSON-lines history and keeps the newest keep
// records, fewer when they would exceed MaxHistoryBytes.
func AppendRecords(history, line string, keep int) string {
	lines := strings.Split(strings.TrimSpace(history), "\n")
	if lines[0] == "" {
		lines = nil
	}
	lines = append(lines, line)
	if len(lines) > keep {
		lines = lines[len(lines)-keep:]
	}
	size := 0
	for _, l := range lines {
		size += len(l) + 1
	}
	for len(lines) > 1 && size > MaxHistoryBytes {
		size -= len(lines[0]) + 1
		lines = lines[1:]
	}
	return strings.Join(lines, "\n") + "\n"
}

// AppendEvidence appends rec to the control's evidence ConfigMap in namespace ns (creating
// it), records the resource's settings beside it, and returns the record's JSON.
func AppendEvidence(ctx context.Context, k *clients.Kube, ns string, c Control, rec Record, settings Settings) (string, error) {
	line, err := json.Marshal(rec)
	if err != nil {
		return "", err
	}
	set, err := json.Marshal(settings)
	if err != nil {
		return "", err
	}
	cms := k.Clientset.CoreV1().ConfigMaps(ns)
	name := EvidenceName(c)
	err = clients.Retry(ctx, clients.KubeTransient, "write ConfigMap "+ns+"/"+name, func(ctx context.Context) error {
		cm, err := cms.Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			cm = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: map[string]string{
				contract.ManagedByLabel: contract.ManagedByValue, contract.PartOfLabel: contract.PartOfValue, contract.KindLabel: kindValue,
				ControlLabel: ObjectName(c.Framework, c.ID),
			}, Annotations: map[string]string{"octollm.io/compliance-framework": c.Framework, "octollm.io/compliance-control-id": c.ID}}}
			cm.Data = map[string]string{RecordsKey: AppendRecords("", string(line), MaxRecords), ControlKey: string(set)}
			_, err = cms.Create(ctx, cm, metav1.CreateOptions{FieldManager: clients.FieldManager})
			if apierrors.IsAlreadyExists(err) {
				return apierrors.NewConflict(corev1.Resource("configmaps"), name, err)
			}
			return err
		}
		if err != nil {
			return err
		}
		if cm.Labels[contract.ManagedByLabel] != contract.ManagedByValue {
			return fmt.Errorf("ConfigMap %s/%s exists but is not managed by this provider: rename or delete it so the evidence of %s %s can be kept there", ns, name, c.Framework, c.ID)
		}
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[RecordsKey] = AppendRecords(cm.Data[RecordsKey], string(line), MaxRecords)
		cm.Data[ControlKey] = string(set)
		_, err = cms.Update(ctx, cm, metav1.UpdateOptions{FieldManager: clients.FieldManager})
		return err
	})
	if apierrors.IsNotFound(err) {
		return "", fmt.Errorf("keep the evidence of %s %s: the platform namespace %q does not exist: create it with octollm_platform (or set the provider's namespace)", c.Framework, c.ID, ns)
	}
	if err != nil {
		return "", k.Error("append evidence to ConfigMap "+ns+"/"+name, err)
	}
	return string(line), nil
}

// ReadSettings returns the settings kept with a control's evidence, or nil when there is none.
func ReadSettings(ctx context.Context, k *clients.Kube, ns string, c Control) (*Settings, error) {
	var cm *corev1.ConfigMap
	err := clients.Retry(ctx, clients.KubeTransient, "read evidence ConfigMap in "+ns, func(ctx context.Context) (err error) {
		cm, err = k.Clientset.CoreV1().ConfigMaps(ns).Get(ctx, EvidenceName(c), metav1.GetOptions{})
		return err
	})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, k.Error("read ConfigMap "+ns+"/"+EvidenceName(c), err)
	}
	if cm.Data[ControlKey] == "" {
		return nil, nil
	}
	var s Settings
	if err := json.Unmarshal([]byte(cm.Data[ControlKey]), &s); err != nil {
		return nil, fmt.Errorf("ConfigMap %s/%s: %s is not valid: %w", ns, EvidenceName(c), ControlKey, err)
	}
	return &s, nil
}
