package platform

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Optional values as Pulumi inputs: nil (left out, so the provider's default applies) when unset.

func strPtr(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}
	return pulumi.StringPtr(s)
}

func intPtr(i *int) pulumi.IntPtrInput {
	if i == nil {
		return nil
	}
	return pulumi.IntPtr(*i)
}

func floatPtr(f *float64) pulumi.Float64PtrInput {
	if f == nil {
		return nil
	}
	return pulumi.Float64Ptr(*f)
}

func boolPtr(b *bool) pulumi.BoolPtrInput {
	if b == nil {
		return nil
	}
	return pulumi.BoolPtr(*b)
}

func stringArrayOrNil(s []string) pulumi.StringArrayInput {
	if len(s) == 0 {
		return nil
	}
	return pulumi.ToStringArray(s)
}

func stringMapOrNil(m map[string]string) pulumi.StringMapInput {
	if len(m) == 0 {
		return nil
	}
	return pulumi.ToStringMap(m)
}

func intArray(v []int) pulumi.IntArray { return pulumi.ToIntArray(v) }

func intArrayOrNil(v []int) pulumi.IntArrayInput {
	if len(v) == 0 {
		return nil
	}
	return pulumi.ToIntArray(v)
}

func distinct(v []int) []int {
	seen := map[int]bool{}
	out := []int{}
	for _, x := range v {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
