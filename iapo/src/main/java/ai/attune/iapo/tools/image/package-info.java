/**
 * The chart and table tools: crop, zoom-in, and focus edits (highlight, mask, draw a box) on a
 * pixel box or on named rows and columns.
 */
package ai.attune.iapo.tools.image;
