export enum ParameterErrorCode {
  /** The key is not one the programmes' formulas read (a new key comes with its formula, in code). */
  PARAMETER_KEY_UNKNOWN = 'PARAMETER_KEY_UNKNOWN',
}
