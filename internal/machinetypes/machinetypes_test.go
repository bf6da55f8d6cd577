package machinetypes

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestFamilies(t *testing.T) {
	if got, want := Families(), []string{"e2", "n2", "n2d", "c3"}; !slices.Equal(got, want) {
		t.Errorf("Families() = %v, want %v", got, want)
	}
	if DefaultFamily != FamilyN2 {
		t.Errorf("DefaultFamily = %q, want n2", DefaultFamily)
	}
}

func TestMachineTypeFor(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cpu      int64
		memoryGB float64
		family   string
		want     string
	}{
		// The examples, with the default family.
		{"1 GB per vCPU is highcpu", 16, 16, "", "n2-highcpu-16"},
		{"8 GB per vCPU is highmem", 8, 64, "", "n2-highmem-8"},
		{"4 GB per vCPU is standard", 8, 32, "", "n2-standard-8"},
		{"n2 explicitly", 8, 32, "n2", "n2-standard-8"},

		// Predefined types of each family, including the ends of each class.
		{"e2 standard", 4, 16, "e2", "e2-standard-4"},
		{"e2 standard largest", 32, 128, "e2", "e2-standard-32"},
		{"e2 highmem largest", 16, 128, "e2", "e2-highmem-16"},
		{"e2 highcpu", 2, 2, "e2", "e2-highcpu-2"},
		{"e2 highcpu largest", 32, 32, "e2", "e2-highcpu-32"},
		{"n2 highcpu largest", 96, 96, "n2", "n2-highcpu-96"},
		{"n2 standard 128", 128, 512, "n2", "n2-standard-128"},
		{"n2 highmem 128 has 864 GB", 128, 864, "n2", "n2-highmem-128"},
		{"n2d standard", 48, 192, "n2d", "n2d-standard-48"},
		{"n2d standard largest", 224, 896, "n2d", "n2d-standard-224"},
		{"n2d highcpu largest", 224, 224, "n2d", "n2d-highcpu-224"},
		{"n2d highmem largest", 96, 768, "n2d", "n2d-highmem-96"},
		{"c3 standard", 22, 88, "c3", "c3-standard-22"},
		{"c3 highcpu is 2 GB per vCPU", 8, 16, "c3", "c3-highcpu-8"},
		{"c3 highmem largest", 176, 1408, "c3", "c3-highmem-176"},

		// Custom types.
		{"n2 custom", 6, 24, "n2", "n2-custom-6-24576"},
		{"e2 custom", 4, 6, "e2", "e2-custom-4-6144"},
		{"n2 2 GB per vCPU is custom", 8, 16, "n2", "n2-custom-8-16384"},
		{"n2 quarter GB", 4, 5.25, "n2", "n2-custom-4-5376"},
		{"n2 custom above 32 in fours", 36, 144, "n2", "n2-custom-36-147456"},
		{"n2 custom largest", 80, 400, "n2", "n2-custom-80-409600"},
		{"n2 custom lowest ratio", 8, 4, "n2", "n2-custom-8-4096"},
		{"e2 custom lowest ratio", 2, 1, "e2", "e2-custom-2-1024"},
		{"e2 custom largest memory", 20, 128, "e2", "e2-custom-20-131072"},
		{"n2d custom multiple of 16", 48, 96, "n2d", "n2d-custom-48-98304"},
		{"n2d custom 8", 8, 12, "n2d", "n2d-custom-8-12288"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MachineTypeFor(tc.cpu, tc.memoryGB, tc.family)
			if err != nil || got != tc.want {
				t.Errorf("MachineTypeFor(%d, %v, %q) = %q, %v; want %q", tc.cpu, tc.memoryGB, tc.family, got, err, tc.want)
			}
		})
	}
}

func TestMachineTypeFor_shapeErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cpu      int64
		memoryGB float64
		family   string
		want     string
		attrs    []string
	}{
		{
			"odd vCPUs", 3, 5, "n2",
			"no n2 machine has 3 vCPUs and 5 GB: n2 custom shapes need an even vCPU count; " +
				"nearest valid shapes: cpu = 2, memory_gb = 5 (n2-custom-2-5120); cpu = 4, memory_gb = 5 (n2-custom-4-5120)",
			[]string{"cpu"},
		},
		{
			"too few vCPUs", 1, 1, "n2",
			"no n2 machine has 1 vCPU and 1 GB: n2 custom shapes need at least 2 vCPUs; " +
				"nearest valid shapes: cpu = 2, memory_gb = 1 (n2-custom-2-1024)",
			[]string{"cpu"},
		},
		{
			"n2 above 32 vCPUs not a multiple of 4", 34, 136, "n2",
			"no n2 machine has 34 vCPUs and 136 GB: n2 custom shapes above 32 vCPUs need a multiple of 4 vCPUs; " +
				"nearest valid shapes: cpu = 32, memory_gb = 136 (n2-custom-32-139264); cpu = 36, memory_gb = 136 (n2-custom-36-139264)",
			[]string{"cpu"},
		},
		{
			"n2d vCPU count", 24, 96, "n2d",
			"no n2d machine has 24 vCPUs and 96 GB: n2d custom shapes have 2, 4, 8 or 16 vCPUs or a multiple of 16; " +
				"nearest valid shapes: cpu = 16, memory_gb = 96 (n2d-custom-16-98304); cpu = 32, memory_gb = 96 (n2d-custom-32-98304)",
			[]string{"cpu"},
		},
		{
			"memory not a multiple of 256 MB", 4, 5.1, "n2",
			"no n2 machine has 4 vCPUs and 5.1 GB: memory_gb must be a multiple of 0.25 (256 MB); " +
				"nearest valid shapes: cpu = 4, memory_gb = 5 (n2-custom-4-5120); cpu = 4, memory_gb = 5.25 (n2-custom-4-5376)",
			[]string{"memory_gb"},
		},
		{
			"ratio below range", 8, 2, "n2",
			"no n2 machine has 8 vCPUs and 2 GB: n2 custom shapes need at least 0.5 GB per vCPU (memory_gb >= 4 for cpu = 8); " +
				"nearest valid shapes: cpu = 8, memory_gb = 4 (n2-custom-8-4096); cpu = 4, memory_gb = 2 (n2-custom-4-2048)",
			[]string{"cpu", "memory_gb"},
		},
		{
			"ratio above range", 4, 40, "n2",
			"no n2 machine has 4 vCPUs and 40 GB: n2 custom shapes allow at most 8 GB per vCPU (memory_gb <= 32 for cpu = 4); " +
				"nearest valid shapes: cpu = 4, memory_gb = 32 (n2-highmem-4); cpu = 6, memory_gb = 40 (n2-custom-6-40960)",
			[]string{"cpu", "memory_gb"},
		},
		{
			"e2 total memory", 20, 160, "e2",
			"no e2 machine has 20 vCPUs and 160 GB: e2 custom shapes have at most 128 GB (memory_gb <= 128); " +
				"nearest valid shapes: cpu = 20, memory_gb = 128 (e2-custom-20-131072); " +
				"cpu = 18, memory_gb = 128 (e2-custom-18-131072); cpu = 22, memory_gb = 128 (e2-custom-22-131072)",
			[]string{"memory_gb"},
		},
		{
			"too many vCPUs for n2 custom", 100, 400, "n2",
			"no n2 machine has 100 vCPUs and 400 GB: n2 custom shapes have at most 80 vCPUs; " +
				"nearest valid shapes: cpu = 80, memory_gb = 400 (n2-custom-80-409600); " +
				"cpu = 96, memory_gb = 384 (n2-standard-96); cpu = 128, memory_gb = 512 (n2-standard-128)",
			[]string{"cpu"},
		},
		{
			"too many vCPUs for e2", 64, 256, "e2",
			"no e2 machine has 64 vCPUs and 256 GB: e2 custom shapes have at most 32 vCPUs; " +
				"nearest valid shapes: cpu = 32, memory_gb = 128 (e2-standard-32)",
			[]string{"cpu", "memory_gb"},
		},
		{
			"too many vCPUs for n2d custom", 112, 448, "n2d",
			"no n2d machine has 112 vCPUs and 448 GB: n2d custom shapes have at most 96 vCPUs; " +
				"nearest valid shapes: cpu = 96, memory_gb = 448 (n2d-custom-96-458752); cpu = 128, memory_gb = 512 (n2d-standard-128)",
			[]string{"cpu"},
		},
		{
			// 128 vCPUs exist only predefined, and n2-highmem-128 has 864 GB, not 8 per vCPU.
			"8 GB per vCPU beyond n2 highmem", 128, 1024, "n2",
			"no n2 machine has 128 vCPUs and 1024 GB: n2 custom shapes have at most 80 vCPUs, " +
				"and the predefined n2 types with 128 vCPUs have 512 or 864 GB; " +
				"nearest valid shapes: cpu = 128, memory_gb = 864 (n2-highmem-128); cpu = 96, memory_gb = 768 (n2-highmem-96)",
			[]string{"memory_gb"},
		},
		{
			"no n2-highcpu-128", 128, 128, "n2",
			"no n2 machine has 128 vCPUs and 128 GB: n2 custom shapes have at most 80 vCPUs, " +
				"and the predefined n2 types with 128 vCPUs have 512 or 864 GB; " +
				"nearest valid shapes: cpu = 128, memory_gb = 512 (n2-standard-128); cpu = 80, memory_gb = 128 (n2-custom-80-131072)",
			[]string{"cpu", "memory_gb"},
		},
		{
			// c3-highcpu has 2 GB per vCPU: 1 GB per vCPU has no c3 type, and c3 has no custom types.
			"1 GB per vCPU on c3", 8, 8, "c3",
			"no c3 machine has 8 vCPUs and 8 GB: c3 has no custom machine types, " +
				"and the predefined c3 types with 8 vCPUs have 16, 32 or 64 GB; " +
				"nearest valid shapes: cpu = 8, memory_gb = 16 (c3-highcpu-8); cpu = 4, memory_gb = 8 (c3-highcpu-4)",
			[]string{"cpu", "memory_gb"},
		},
		{
			"c3 vCPU count", 16, 16, "c3",
			"no c3 machine has 16 vCPUs and 16 GB: c3 has no custom machine types; " +
				"its predefined types have 4, 8, 22, 44, 88 or 176 vCPUs; " +
				"nearest valid shapes: cpu = 8, memory_gb = 16 (c3-highcpu-8); cpu = 22, memory_gb = 44 (c3-highcpu-22)",
			[]string{"cpu"},
		},
		{
			"c3 vCPU count and memory", 5, 20, "c3",
			"no c3 machine has 5 vCPUs and 20 GB: c3 has no custom machine types; " +
				"its predefined types have 4, 8, 22, 44, 88 or 176 vCPUs; " +
				"nearest valid shapes: cpu = 4, memory_gb = 16 (c3-standard-4); cpu = 8, memory_gb = 16 (c3-highcpu-8)",
			[]string{"cpu", "memory_gb"},
		},
		{
			"absurd memory", 2, 1e300, "n2",
			"no n2 machine has 2 vCPUs and 1e+300 GB: n2 custom shapes allow at most 8 GB per vCPU (memory_gb <= 16 for cpu = 2); " +
				"nearest valid shapes: cpu = 2, memory_gb = 16 (n2-highmem-2); cpu = 4, memory_gb = 32 (n2-highmem-4)",
			[]string{"memory_gb"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := MachineTypeFor(tc.cpu, tc.memoryGB, tc.family)
			var se *ShapeError
			if !errors.As(err, &se) {
				t.Fatalf("MachineTypeFor(%d, %v, %q) = %q, %v; want a *ShapeError", tc.cpu, tc.memoryGB, tc.family, got, err)
			}
			if got != "" {
				t.Errorf("machine type = %q alongside the error, want empty", got)
			}
			if msg := err.Error(); msg != tc.want {
				t.Errorf("error:\n got %s\nwant %s", msg, tc.want)
			}
			if !slices.Equal(se.Attributes, tc.attrs) {
				t.Errorf("Attributes = %v, want %v", se.Attributes, tc.attrs)
			}
			if se.CPU != tc.cpu || se.MemoryGB != tc.memoryGB || string(se.Family) != tc.family {
				t.Errorf("ShapeError shape = %s %d %v, want %s %d %v", se.Family, se.CPU, se.MemoryGB, tc.family, tc.cpu, tc.memoryGB)
			}
		})
	}
}

func TestMachineTypeFor_inputErrors(t *testing.T) {
	for _, tc := range []struct {
		cpu      int64
		memoryGB float64
		family   string
		want     string
	}{
		{0, 4, "n2", "cpu must be a positive number of vCPUs, got 0"},
		{-2, 4, "", "cpu must be a positive number of vCPUs, got -2"},
		{2, 0, "n2", "memory_gb must be a positive number of GB, got 0"},
		{2, -4, "n2", "memory_gb must be a positive number of GB, got -4"},
		{2, math.NaN(), "n2", "memory_gb must be a positive number of GB, got NaN"},
		{2, math.Inf(1), "n2", "memory_gb must be a positive number of GB, got +Inf"},
		{2, 8, "n1", `machine_family "n1" is not supported; supported families: e2, n2, n2d, c3`},
		{2, 8, "N2", `machine_family "N2" is not supported; supported families: e2, n2, n2d, c3`},
		{2, 8, "n2-standard", `machine_family "n2-standard" is not supported`},
	} {
		got, err := MachineTypeFor(tc.cpu, tc.memoryGB, tc.family)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MachineTypeFor(%d, %v, %q) = %q, %v; want error containing %q", tc.cpu, tc.memoryGB, tc.family, got, err, tc.want)
			continue
		}
		var se *ShapeError
		if errors.As(err, &se) {
			t.Errorf("MachineTypeFor(%d, %v, %q): input error is a *ShapeError", tc.cpu, tc.memoryGB, tc.family)
		}
	}
}

func TestShape(t *testing.T) {
	for _, tc := range []struct {
		machineType string
		cpu, memMB  int
		ok          bool
	}{
		{"e2-standard-4", 4, 16384, true},
		{"e2-highmem-16", 16, 131072, true},
		{"e2-highcpu-32", 32, 32768, true},
		{"e2-medium", 2, 4096, true},
		{"e2-micro", 2, 1024, true},
		{"n2-standard-8", 8, 32768, true},
		{"n2-highmem-128", 128, 884736, true},
		{"n2-highcpu-96", 96, 98304, true},
		{"n2d-standard-224", 224, 917504, true},
		{"n2d-highmem-96", 96, 786432, true},
		{"c3-highcpu-4", 4, 8192, true},
		{"c3-standard-22", 22, 90112, true},
		{"c3-highmem-176", 176, 1441792, true},
		{"n2-custom-6-24576", 6, 24576, true},
		{"n2-custom-2-8192", 2, 8192, true}, // a predefined shape, as a custom type, is still valid
		{"n2-custom-36-147456", 36, 147456, true},
		{"e2-custom-4-6144", 4, 6144, true},
		{"n2d-custom-48-98304", 48, 98304, true},

		{"", 0, 0, false},
		{"n2-standard-6", 0, 0, false},         // no such size
		{"n2-highcpu-128", 0, 0, false},        // n2-highcpu stops at 96
		{"e2-highmem-32", 0, 0, false},         // e2-highmem stops at 16
		{"n2d-highmem-128", 0, 0, false},       // n2d-highmem stops at 96
		{"c3-standard-2", 0, 0, false},         // c3 starts at 4
		{"n1-standard-4", 0, 0, false},         // unsupported family
		{"n2-ultramem-8", 0, 0, false},         // no such class
		{"c3-custom-8-16384", 0, 0, false},     // c3 has no custom types
		{"n2-custom-7-14336", 0, 0, false},     // odd vCPUs
		{"n2-custom-34-34816", 0, 0, false},    // above 32, not a multiple of 4
		{"n2-custom-96-98304", 0, 0, false},    // n2 custom stops at 80
		{"n2d-custom-24-24576", 0, 0, false},   // n2d: 2, 4, 8, 16 or multiples of 16
		{"e2-custom-34-34816", 0, 0, false},    // e2 custom stops at 32
		{"e2-custom-20-163840", 0, 0, false},   // e2 custom stops at 128 GB
		{"n2-custom-8-1000", 0, 0, false},      // not a multiple of 256 MB
		{"n2-custom-8-2048", 0, 0, false},      // below 0.5 GB per vCPU
		{"n2-custom-8-131072", 0, 0, false},    // above 8 GB per vCPU
		{"n2-custom-8-65536-ext", 0, 0, false}, // extended memory is out of scope
		{"n2-custom-08-16384", 0, 0, false},    // not canonical
		{"n2-custom-+8-16384", 0, 0, false},    // not canonical
		{"n2-custom-8", 0, 0, false},           // no memory
		{"custom-4-8192", 0, 0, false},         // N1 custom
	} {
		cpu, mem, ok := Shape(tc.machineType)
		if cpu != tc.cpu || mem != tc.memMB || ok != tc.ok {
			t.Errorf("Shape(%q) = %d, %d, %v; want %d, %d, %v", tc.machineType, cpu, mem, ok, tc.cpu, tc.memMB, tc.ok)
		}
	}
}

// Every predefined type in the table maps back to itself: MachineTypeFor of its real shape returns
// it, and Shape returns that shape.
func TestMachineTypeFor_predefinedRoundTrip(t *testing.T) {
	if len(predefinedTypes) < 90 {
		t.Fatalf("predefined table has %d types; want them all", len(predefinedTypes))
	}
	for _, p := range predefinedTypes {
		got, err := MachineTypeFor(int64(p.cpu), float64(p.memMB)/1024, string(p.family))
		if err != nil || got != p.name {
			t.Errorf("MachineTypeFor(%d, %v, %q) = %q, %v; want %q", p.cpu, float64(p.memMB)/1024, p.family, got, err, p.name)
			continue
		}
		if cpu, mem, ok := Shape(got); !ok || cpu != p.cpu || mem != p.memMB {
			t.Errorf("Shape(%q) = %d, %d, %v; want %d, %d, true", got, cpu, mem, ok, p.cpu, p.memMB)
		}
	}
}

// Across many shapes of every family, a machine type returned has the requested shape, and every
// suggestion of a ShapeError is itself valid and maps to the machine type it names.
func TestMachineTypeFor_consistency(t *testing.T) {
	var cpus []int64
	for c := int64(1); c <= 40; c++ {
		cpus = append(cpus, c)
	}
	cpus = append(cpus, 44, 48, 64, 80, 84, 88, 96, 100, 112, 128, 176, 224, 300)
	ratios := []float64{0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5.1, 6, 6.75, 7.5, 8, 9}
	for _, f := range Families() {
		for _, cpu := range cpus {
			for _, r := range ratios {
				mem := float64(cpu) * r
				got, err := MachineTypeFor(cpu, mem, f)
				if err == nil {
					c, m, ok := Shape(got)
					if !ok || int64(c) != cpu || float64(m) != mem*1024 || !strings.HasPrefix(got, f+"-") {
						t.Errorf("MachineTypeFor(%d, %v, %q) = %q, whose shape is %d, %d, %v", cpu, mem, f, got, c, m, ok)
					}
					continue
				}
				var se *ShapeError
				if !errors.As(err, &se) {
					t.Errorf("MachineTypeFor(%d, %v, %q): %v; want a *ShapeError", cpu, mem, f, err)
					continue
				}
				if se.Reason == "" || len(se.Attributes) == 0 || len(se.Nearest) == 0 || len(se.Nearest) > 3 {
					t.Errorf("MachineTypeFor(%d, %v, %q): incomplete ShapeError %+v", cpu, mem, f, se)
				}
				for _, s := range se.Nearest {
					again, err := MachineTypeFor(int64(s.CPU), s.MemoryGB, f)
					if err != nil || again != s.MachineType {
						t.Errorf("MachineTypeFor(%d, %v, %q): suggestion %s maps to %q, %v", cpu, mem, f, s, again, err)
					}
				}
			}
		}
	}
}

func TestSharedCore(t *testing.T) {
	for machineType, want := range map[string]bool{
		"e2-micro":         true,
		"e2-small":         true,
		"e2-medium":        true,
		"e2-standard-2":    false,
		"n2-custom-2-4096": false,
		"":                 false,
	} {
		if got := SharedCore(machineType); got != want {
			t.Errorf("SharedCore(%q) = %v, want %v", machineType, got, want)
		}
	}
}
