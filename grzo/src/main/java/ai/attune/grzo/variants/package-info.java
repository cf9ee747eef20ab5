/**
 * Drop-in noise variants, each usable with the MeZO and the GRZO core: sparse ({@code
 * SparseNoise}), low-rank ({@code LowRankNoise}) and quantized ({@code QuantizedNoise}).
 */
package ai.attune.grzo.variants;
