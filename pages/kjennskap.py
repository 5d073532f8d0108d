import streamlit as st

st.title('kjennskap')
st.info('Under arbeid.')
